"""Google Meet attendance lists: first and last name, email, duration, times of day only."""

from __future__ import annotations

from collections.abc import Iterator

from compliance.domain.reports.away import away_in_between, surely_inside
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
from compliance.domain.reports.roster import Roster, email_value, finish_report
from compliance.domain.reports.same_name import names_shared_at_once
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
    found = list(_rows(rows, clock, header))
    shared = names_shared_at_once(
        (name, email, presence if isinstance(presence, tuple) else None)
        for _, name, email, presence in found
    )
    roster = Roster()
    for line, name, email, presence in found:
        if email is None and name in shared:
            person = roster.distinct_person(line, (name,), None, same_name_apart=True)
        else:
            person = roster.person(line, (name,), email)
        if isinstance(presence, tuple):
            person.intervals.append(presence)
        else:
            person.add_total(presence)
    return finish_report("meet", len(found), header.line, roster)


def _rows(
    rows: list[Row], clock: ReportClock, header: Header
) -> Iterator[tuple[int, str, str | None, Interval | int]]:
    """Yield each row's line, name, email and interval (or total seconds), or refuse it."""
    pick = header.picker("first_name", "last_name", "email", "joined", "exited", "duration")
    for line, cells in attendance_rows(rows, header.row_index):
        first, last, email_text, joined, exited, duration = (cell.strip() for cell in pick(cells))
        email = email_value(email_text)
        name = require_name(collapse_spaces(f"{first} {last}"), email, "First name", line)
        yield line, name, email, _presence(header, clock, (joined, exited, duration), line)


def _presence(
    header: Header, clock: ReportClock, cells: tuple[str, str, str], line: int
) -> Interval | int:
    """Return a row's join-to-exit interval, else its duration as a total, else refuse it."""
    joined, exited, duration = cells
    if joined and exited:
        interval = _interval(clock, header, (joined, exited), line)
        seconds = length_seconds(duration) if duration else None
        if away_in_between(seconds, interval):
            # First join and last exit, with less time in the call: away in between.
            return surely_inside(seconds, interval, clock.window)
        return interval
    if duration:
        title = header.title("duration")
        return require_length(length_seconds(duration), duration, title, line)
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
