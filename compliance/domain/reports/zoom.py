"""Zoom "Participants" reports: one row per join, or one row per person ("unique users")."""

from __future__ import annotations

from collections.abc import Iterator

from compliance.domain.reports.cells import refuse_interval, require_name, shown
from compliance.domain.reports.durations import minutes_seconds
from compliance.domain.reports.headers import (
    Column,
    Header,
    HeaderSpec,
    find_header,
    require_header,
)
from compliance.domain.reports.labels import means_yes
from compliance.domain.reports.model import Interval, ParsedReport, ReportError
from compliance.domain.reports.names import split_zoom_name
from compliance.domain.reports.roster import Person, Roster, email_value, finish_report
from compliance.domain.reports.same_name import names_shared_at_once
from compliance.domain.reports.table import Row, attendance_rows, cell_text, is_blank
from compliance.domain.reports.timeparse import ReportClock

_NAME = Column("Name (Original Name)", ("name(originalname)", "name"))
_EMAIL = Column("User Email", ("useremail", "email"))

JOINS_HEADER = HeaderSpec(
    "Zoom participants report",
    required={
        "name": _NAME,
        "join": Column("Join Time", ("jointime",)),
        "leave": Column("Leave Time", ("leavetime",)),
    },
    optional={"email": _EMAIL, "waiting": Column("In Waiting Room", ("inwaitingroom",))},
)
UNIQUE_HEADER = HeaderSpec(
    "Zoom unique-users report",
    required={
        "name": _NAME,
        "total": Column(
            "Total Duration (Minutes)",
            ("totalduration(minutes)", "totalduration(mins)", "totalduration"),
        ),
    },
    optional={"email": _EMAIL},
)
_SUMMARY_HEADER = HeaderSpec(
    "Zoom meeting summary",
    required={
        "meeting": Column("Meeting ID", ("meetingid",)),
        "host_email": Column("User Email", ("useremail",)),
    },
)


def parse_zoom_joins(
    rows: list[Row], clock: ReportClock, header: Header | None = None
) -> ParsedReport:
    """Read a per-join Zoom report: every row is one join and leave of one person.

    Rows of one name without an email are one person rejoining, unless their times overlap
    another row of that name (`same_name`): then each of those rows stays a person of its own.
    """
    header = header or require_header(JOINS_HEADER, rows)
    joins = list(_joins(rows, clock, header))
    shared = names_shared_at_once(
        (name_text, email_value(email_text), interval)
        for _, name_text, email_text, interval in joins
    )
    people = _ZoomPeople(header.title("name"))
    known = people.known
    for line, name_text, email_text, interval in joins:
        if name_text in shared and not email_text.strip():
            person = people.distinct(name_text, email_text, line, same_name_apart=True)
        else:
            person = known.get((name_text, email_text)) or people.first_sight(
                name_text, email_text, line
            )
        if interval is not None:
            person.intervals.append(interval)
    host_email = _host_email(rows, header)
    return finish_report("zoom", len(joins), header.line, people.roster, host_email)


_Join = tuple[int, str, str, "Interval | None"]


def _joins(rows: list[Row], clock: ReportClock, header: Header) -> Iterator[_Join]:
    """Yield each row's line, name and email cells, and its interval (None in the waiting room)."""
    pick = header.picker("name", "email", "join", "leave", "waiting")
    titles = (header.title("join"), header.title("leave"))
    instant = clock.instant
    for line, cells in attendance_rows(rows, header.row_index):
        name_text, email_text, join_text, leave_text, waiting = pick(cells)
        join, leave = instant(join_text), instant(leave_text)
        if join is None or leave is None or leave < join:
            refuse_interval(join, leave, titles, (join_text, leave_text), line, clock.unsettled)
        # A row spent in the waiting room is not time in the meeting.
        in_waiting_room = bool(waiting) and means_yes(waiting)
        yield line, name_text, email_text, None if in_waiting_room else (join, leave)


def parse_zoom_unique(
    rows: list[Row], clock: ReportClock, header: Header | None = None
) -> ParsedReport:
    """Read a "unique users" Zoom report: one total per person, no join or leave times."""
    header = header or require_header(UNIQUE_HEADER, rows)
    people = _ZoomPeople(header.title("name"))
    pick = header.picker("name", "email", "total")
    count = 0
    for line, cells in attendance_rows(rows, header.row_index):
        count += 1
        name_text, email_text, total_text = pick(cells)
        # Each row is one user as Zoom counted them: two "Andrew" rows are two people, whose
        # totals must never be added up by name.
        person = people.distinct(name_text, email_text, line)
        seconds = minutes_seconds(total_text)
        if seconds is None:
            value = shown(total_text.strip())
            reason = f'"{header.title("total")}" value {value} is not a number of minutes'
            raise ReportError(reason, line)
        person.add_total(seconds)
    host_email = _host_email(rows, header)
    return finish_report("zoom-unique", count, header.line, people.roster, host_email)


class _ZoomPeople:
    """The people of a Zoom table, found from a row's raw name and email cells.

    `known` maps the pair of cells to the person: a rejoining person repeats them on every row,
    so a plain dictionary lookup answers most rows.
    """

    def __init__(self, name_title: str) -> None:
        self.roster = Roster()
        self.known: dict[tuple[str, str], Person] = {}
        self._name_title = name_title

    def first_sight(self, name_text: str, email_text: str, line: int) -> Person:
        """Return and remember the person for cells not seen before."""
        email = email_value(email_text)
        name = split_zoom_name(name_text)
        names = name.all_names if name.display else (self._blank_name(email, line),)
        person = self.roster.person(line, names, email, name.is_host)
        self.known[(name_text, email_text)] = person
        return person

    def distinct(
        self, name_text: str, email_text: str, line: int, same_name_apart: bool = False
    ) -> Person:
        """Return the person of a row that stands for one user (never merged by name)."""
        email = email_value(email_text)
        name = split_zoom_name(name_text)
        names = name.all_names if name.display else (self._blank_name(email, line),)
        return self.roster.distinct_person(line, names, email, name.is_host, same_name_apart)

    def _blank_name(self, email: str | None, line: int) -> str:
        """Return the email to show for a row without a name, or refuse the row."""
        return require_name("", email, self._name_title, line)


def _host_email(rows: list[Row], header: Header) -> str | None:
    """Return the host's email from the meeting summary above the table, if there is one."""
    summary = find_header(_SUMMARY_HEADER, rows[: header.row_index])
    if summary is None:
        return None
    for _, cells in rows[summary.row_index + 1 : header.row_index]:
        if not is_blank(cells):
            return email_value(cell_text(cells, summary.position("host_email")))
    return None
