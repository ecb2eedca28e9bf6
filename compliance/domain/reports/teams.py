"""Microsoft Teams attendance reports: titled sections ("3. In-Meeting activities") of tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from compliance.domain.reports.away import away_in_between, surely_inside
from compliance.domain.reports.cells import refuse_interval, require_name, shown
from compliance.domain.reports.columns import section_number
from compliance.domain.reports.durations import length_seconds
from compliance.domain.reports.headers import (
    Column,
    Header,
    HeaderSpec,
    column_key,
    require_header,
)
from compliance.domain.reports.model import Interval, ParsedReport, ReportError
from compliance.domain.reports.names import strip_account_markers
from compliance.domain.reports.roster import Roster, email_value, finish_report
from compliance.domain.reports.same_name import names_shared_at_once
from compliance.domain.reports.table import Cells, Row, attendance_rows, is_blank
from compliance.domain.reports.timeparse import ReportClock

_SECTION_TITLE = re.compile(
    r"\s*(?:[0-9]{1,2}\s*\.\s*)?(summary|participants|in-meeting\s+activities)\s*", re.IGNORECASE
)
_JOINS_SECTION = "in-meeting activities"
_PEOPLE_SECTION = "participants"
_HOST_ROLES = frozenset({"organizer", "organiser", "co-organizer", "co-organiser"})
_FIRST_JOIN_KEYS = ("firstjoin", "firstjointime")

_COLUMNS = {
    "name": Column("Name", ("name", "fullname", "participantname")),
    "join": Column("Join time", ("jointime", "firstjoin", "firstjointime")),
    "leave": Column("Leave time", ("leavetime", "lastleave", "lastleavetime")),
}
_OPTIONAL_COLUMNS = {
    "email": Column("Email", ("email", "emailaddress")),
    "duration": Column("Duration", ("duration", "in-meetingduration", "inmeetingduration")),
}
TABLE_HEADER = HeaderSpec(
    "Microsoft Teams attendance table",
    required=_COLUMNS,
    optional={**_OPTIONAL_COLUMNS, "role": Column("Role", ("role",))},
)
# Without section titles, a Role column is what tells a Teams table from a Zoom one.
UNTITLED_TABLE_HEADER = HeaderSpec(
    "Microsoft Teams attendance table",
    required={**_COLUMNS, "role": Column("Role", ("role",))},
    optional=_OPTIONAL_COLUMNS,
)


def section_title(cells: Cells) -> str | None:
    """Return the section a title row opens ("participants", ...), or None for other rows."""
    if not cells or not (match := _SECTION_TITLE.fullmatch(cells[0])):
        return None
    return " ".join(match[1].lower().split()) if is_blank(cells[1:]) else None


def parse_teams(
    rows: list[Row], clock: ReportClock, header: Header | None = None, per_person: bool = False
) -> ParsedReport:
    """Read a Teams report from its join/leave section, else from its per-person section.

    `header` and `per_person` come from recognition by content (a report in another language);
    without them the English section titles and labels are looked for.
    """
    if header is None:
        header = _attendance_header(rows)
        per_person = column_key(header.title("join")) in _FIRST_JOIN_KEYS
    found = list(_rows(rows, clock, header, per_person))
    shared = names_shared_at_once((row.name, row.email, row.interval) for row in found)
    roster = Roster()
    for row in found:
        if row.email is None and row.name in shared:
            person = roster.distinct_person(row.line, (row.name,), None, row.is_host, True)
        else:
            person = roster.person(row.line, (row.name,), row.email, row.is_host)
        if row.total is None:
            person.intervals.append(row.interval)
        else:
            person.add_total(row.total)
    return finish_report("teams", len(found), header.line, roster)


class _TeamsRow(NamedTuple):
    line: int
    name: str
    email: str | None
    is_host: bool
    interval: Interval
    total: int | None  # in-meeting time, when shorter than first join to last leave


def _rows(
    rows: list[Row], clock: ReportClock, header: Header, per_person: bool
) -> Iterator[_TeamsRow]:
    """Yield each row of the attendance table read, or refuse the first bad one."""
    pick = header.picker("name", "email", "role", "join", "leave", "duration")
    titles = (header.title("join"), header.title("leave"))
    for line, cells in attendance_rows(rows, header.row_index, stop=_ends_table):
        name_text, email_text, role, join_text, leave_text, duration = pick(cells)
        email = email_value(email_text)
        name = require_name(strip_account_markers(name_text), email, header.title("name"), line)
        join, leave = clock.instant(join_text), clock.instant(leave_text)
        if join is None or leave is None or leave < join:
            refuse_interval(join, leave, titles, (join_text, leave_text), line, clock.unsettled)
        title = header.title("duration") if header.position("duration") is not None else ""
        away = _total_when_away(duration, (join, leave), title, line, strict=per_person)
        away_total = None if away is None else surely_inside(away, (join, leave), clock.window)
        is_host = role.strip().casefold() in _HOST_ROLES
        yield _TeamsRow(line, name, email, is_host, (join, leave), away_total)


def _ends_table(cells: Cells) -> bool:
    """Return whether a row opens the next section, titled in English or numbered."""
    return section_title(cells) is not None or section_number(cells) is not None


def _attendance_header(rows: list[Row]) -> Header:
    """Return the header of section 3 when present, else of section 2, else of an untitled table."""
    titles = {}
    for index, (_, cells) in enumerate(rows):
        title = section_title(cells)
        if title is not None:
            titles.setdefault(title, index)
    for section in (_JOINS_SECTION, _PEOPLE_SECTION):
        if section in titles:
            return _section_header(rows, titles[section])
    return require_header(UNTITLED_TABLE_HEADER, rows)


def _section_header(rows: list[Row], title_index: int) -> Header:
    """Return the header row that follows a section title, or say which columns it lacks."""
    title_line, title_cells = rows[title_index]
    for index in range(title_index + 1, len(rows)):
        line, cells = rows[index]
        if is_blank(cells):
            continue
        header = TABLE_HEADER.match(index, rows[index])
        if header is not None:
            return header
        missing = ", ".join(f'"{title}"' for title in TABLE_HEADER.missing(cells))
        raise ReportError(f'the "{title_cells[0].strip()}" table has no {missing} column', line)
    raise ReportError(f'the "{title_cells[0].strip()}" section has no table', title_line)


def _total_when_away(
    duration: str, interval: Interval, title: str, line: int, strict: bool
) -> int | None:
    """Return the in-meeting duration when it is shorter than the row's join to leave: the row
    is then a person's first join and last leave (a per-person table, or Teams' 2021 report),
    and they were away in between.

    In a per-person table (`strict`), a duration that cannot be read is refused: without it,
    first join to last leave would count the time someone was away.
    """
    seconds = length_seconds(duration)
    if seconds is None and duration.strip() and strict:
        raise ReportError(
            f'"{title}" value {shown(duration.strip())} is not a length of time', line
        )
    return seconds if away_in_between(seconds, interval) else None
