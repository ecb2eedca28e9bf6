"""Google Meet attendance lists: first and last name, email, duration, times of day only."""

from __future__ import annotations

from compliance.domain.reports.cells import (
    require_instant,
    require_length,
    require_name,
    require_order,
)
from compliance.domain.reports.durations import length_seconds
from compliance.domain.reports.headers import Column, Header, HeaderSpec, require_header
from compliance.domain.reports.model import Interval, ParsedReport, ReportError
from compliance.domain.reports.names import collapse_spaces
from compliance.domain.reports.roster import Person, Roster, email_value, finish_report
from compliance.domain.reports.table import Row, attendance_rows
from compliance.domain.reports.timeparse import ReportClock

HEADER = HeaderSpec(
    "Google Meet attendance list",
    required={
        "first_name": Column("First name", ("firstname", "name", "fullname")),
        "joined": Column("Time joined", ("timejoined",)),
        "exited": Column("Time exited", ("timeexited",)),
    },
    optional={
        "last_name": Column("Last name", ("lastname",)),
        "email": Column("Email", ("email", "emailaddress")),
        "duration": Column("Duration", ("duration",)),
    },
)


def parse_meet(rows: list[Row], clock: ReportClock, header: Header | None = None) -> ParsedReport:
    """Read a Meet list: times of day are placed on the date nearest the session."""
    header = header or require_header(HEADER, rows)
    pick = header.picker("first_name", "last_name", "email", "joined", "exited", "duration")
    roster = Roster()
    count = 0
    for line, cells in attendance_rows(rows, header.row_index):
        count += 1
        first, last, email_text, joined, exited, duration = (cell.strip() for cell in pick(cells))
        email = email_value(email_text)
        full_name = collapse_spaces(f"{first} {last}")
        person = roster.person(line, (require_name(full_name, email, "First name", line),), email)
        _record_presence(person, header, clock, (joined, exited, duration), line)
    return finish_report("meet", count, header.line, roster)


def _record_presence(
    person: Person, header: Header, clock: ReportClock, cells: tuple[str, str, str], line: int
) -> None:
    """Add a row's join-to-exit interval, else its duration as a total, else refuse the row."""
    joined, exited, duration = cells
    if joined and exited:
        person.intervals.append(_interval(clock, header, (joined, exited), line))
    elif duration:
        title = header.title("duration")
        person.add_total(require_length(length_seconds(duration), duration, title, line))
    else:
        reason = (
            f'the row needs both "{header.title("joined")}" and "{header.title("exited")}", '
            "or a duration"
        )
        raise ReportError(reason, line)


def _interval(clock: ReportClock, header: Header, texts: tuple[str, str], line: int) -> Interval:
    """Return the join and exit instants of a row, the exit on or after the join."""
    titles = (header.title("joined"), header.title("exited"))
    join = require_instant(
        clock.time_near_session(texts[0]), texts[0], titles[0], line, clock.unsettled
    )
    leave = require_instant(
        clock.time_after(texts[1], join), texts[1], titles[1], line, clock.unsettled
    )
    return require_order((join, leave), titles, texts, line)


def parse_meet_totals(rows: list[Row], clock: ReportClock, header: Header) -> ParsedReport:
    """Read a Meet extension export of names and times in the call: each a total, as given."""
    roster = Roster()
    pick = header.picker("first_name", "email", "duration")
    title = header.title("duration")
    count = 0
    for line, cells in attendance_rows(rows, header.row_index):
        count += 1
        name, email_text, duration = (cell.strip() for cell in pick(cells))
        email = email_value(email_text)
        person = roster.person(
            line,
            (require_name(collapse_spaces(name), email, header.title("first_name"), line),),
            email,
        )
        person.add_total(require_length(length_seconds(duration), duration, title, line))
    return finish_report("meet", count, header.line, roster)
