"""Time parsing a 50,000-row participant report of each family, built in memory.

Run: .venv/bin/python bench/bench_report_import.py [--rows 50000] [--family zoom ...]

Families: Zoom per join, Zoom unique users, the Teams attendance report (UTF-16, tab-separated,
sections 2 and 3), the Teams attendance list (UTF-16, French labels, events paired) and the
Google Meet report (times of day). The parser alone; bench_import_service.py adds the database.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
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


def _joins(rows: int):
    """Yield (person number, join, leave) for `rows` joins spread over the two-hour meeting."""
    for n in range(rows):
        join = START + timedelta(seconds=(n * 37) % 6600)
        yield n % PEOPLE, join, join + timedelta(seconds=300 + n % 300)


def build_zoom_report(rows: int) -> bytes:
    """Return a per-join Zoom report of `rows` joins spread over the two-hour meeting."""
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"1,Bench,{zoom_time(START)},{zoom_time(END)},host@example.org,120,{PEOPLE}",
        ",,,,,,",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ]
    for person, join, leave in _joins(rows):
        lines.append(
            f"Person {person} (Original {person}),p{person}@example.org,"
            f"{zoom_time(join)},{zoom_time(leave)},5,No"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def build_zoom_unique_report(rows: int) -> bytes:
    """Return a "unique users" report of `rows` people, a third of them without an email."""
    lines = ["Name (Original Name),User Email,Total Duration (Minutes),Guest"]
    for n in range(rows):
        email = "" if n % 3 == 0 else f"u{n}@example.org"
        lines.append(f"User {n},{email},{30 + n % 90},Yes")
    return ("\r\n".join(lines) + "\r\n").encode()


def teams_time(moment: datetime) -> str:
    """Return a time the way Teams writes it in most locales: `04/03/25, 19:05:00`."""
    return f"{moment:%d/%m/%y, %H:%M:%S}"


def build_teams_report(rows: int) -> bytes:
    """Return a Teams attendance report: summary, one row per person, then `rows` joins."""
    lines = ["1. Summary", "Meeting title\tBench", f"Start time\t{teams_time(START)}", ""]
    lines += ["2. Participants", "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tRole"]
    for person in range(PEOPLE):
        lines.append(
            f"Person {person}\t{teams_time(START)}\t{teams_time(END)}\t1h 50m\t"
            f"p{person}@example.org\tAttendee"
        )
    lines += ["", "3. In-Meeting activities", "Name\tJoin time\tLeave time\tDuration\tEmail\tRole"]
    for person, join, leave in _joins(rows):
        minutes, seconds = divmod(int((leave - join).total_seconds()), 60)
        lines.append(
            f"Person {person}\t{teams_time(join)}\t{teams_time(leave)}\t{minutes}m {seconds}s\t"
            f"p{person}@example.org\tAttendee"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def build_teams_list(rows: int) -> bytes:
    """Return a 2020-style Teams attendance list in French: `rows` join and leave events."""
    lines = ["Nom complet\tAction de l'utilisateur\tHorodatage"]
    for n in range(rows // 2):
        person = n % PEOPLE
        join = START + timedelta(seconds=(n // PEOPLE) * 660 + person % 60)
        leave = join + timedelta(seconds=600)
        lines.append(f"Personne {person}\tA rejoint\t{join:%d/%m/%Y} à {join:%H:%M:%S}")
        lines.append(f"Personne {person}\tA quitté\t{leave:%d/%m/%Y} à {leave:%H:%M:%S}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def meet_time(moment: datetime) -> str:
    """Return a time of day the way Meet writes it: `7:05 PM`."""
    return f"{moment.hour % 12 or 12}:{moment:%M} {'PM' if moment.hour >= 12 else 'AM'}"


def build_meet_report(rows: int) -> bytes:
    """Return a Google Meet report with a title block and `rows` rows of times of day."""
    lines = ["Bench meeting", "Meeting code,abc-defg-hij", ""]
    lines.append("Name,Email,Duration,Time joined,Time exited")
    for n in range(rows):
        person = n % PEOPLE
        join = START + timedelta(minutes=(n // PEOPLE) * 11)
        lines.append(
            f"Person {person},p{person}@example.org,10 min,{meet_time(join)},"
            f"{meet_time(join + timedelta(minutes=10))}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


FAMILIES: dict[str, Callable[[int], bytes]] = {
    "zoom": build_zoom_report,
    "zoom-unique": build_zoom_unique_report,
    "teams": build_teams_report,
    "teams-list": build_teams_list,
    "meet": build_meet_report,
}


def main() -> None:
    """Print rows parsed, seconds taken and rows per second for each family."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append")
    args = parser.parse_args()
    for family in args.family or FAMILIES:
        data = FAMILIES[family](args.rows)
        began = time.perf_counter()
        report = parse_participant_report(data, ZONE, START, END)
        seconds = time.perf_counter() - began
        print(
            f"{family:12} rows {report.rows:>7,}  people {len(report.participants):>6,}  "
            f"{len(data) / 1e6:5.1f} MB  seconds {seconds:.3f}  rows/s {report.rows / seconds:,.0f}"
        )


if __name__ == "__main__":
    main()
