"""Time parsing a 50,000-row Zoom per-join participants report built in memory."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from compliance.domain.reports import parse_participant_report

ROWS = 50_000
PEOPLE = 5_000
ZONE = ZoneInfo("America/Chicago")
START = datetime(2025, 3, 4, 19, 0, tzinfo=ZONE)
END = datetime(2025, 3, 4, 21, 0, tzinfo=ZONE)


def zoom_time(moment: datetime) -> str:
    """Return a wall-clock time the way US Zoom exports write it."""
    hour = moment.hour % 12 or 12
    meridiem = "PM" if moment.hour >= 12 else "AM"
    return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment:%M:%S} {meridiem}"


def build_zoom_report(rows: int) -> bytes:
    """Return a per-join Zoom report of `rows` joins spread over the two-hour meeting."""
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"1,Bench,{zoom_time(START)},{zoom_time(END)},host@example.org,120,{PEOPLE}",
        ",,,,,,",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ]
    for n in range(rows):
        person = n % PEOPLE
        join = START + timedelta(seconds=(n * 37) % 6600)
        leave = join + timedelta(seconds=300 + n % 300)
        lines.append(
            f"Person {person} (Original {person}),p{person}@example.org,"
            f"{zoom_time(join)},{zoom_time(leave)},5,No"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    """Print rows parsed, seconds taken and rows per second."""
    data = build_zoom_report(ROWS)
    began = time.perf_counter()
    report = parse_participant_report(data, ZONE, START, END)
    seconds = time.perf_counter() - began
    print(f"rows {report.rows}")
    print(f"seconds {seconds:.3f}")
    print(f"rows/s {report.rows / seconds:,.0f}")


if __name__ == "__main__":
    main()
