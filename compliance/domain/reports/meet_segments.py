"""A Meet extension's export: "Attendance for: <class> on YYYY-MM-DD", then one row per person
with a status and segments like "15:33 (30min) [16:02]" (arrival, minutes, leave)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from compliance.domain.reports.cells import require_name
from compliance.domain.reports.model import ParsedReport, ReportError
from compliance.domain.reports.names import collapse_spaces
from compliance.domain.reports.roster import Roster, finish_report
from compliance.domain.reports.table import Row, is_blank
from compliance.domain.reports.timeparse import ReportClock

_TITLE = re.compile(r"\s*(?P<label>[^\t]*?)\s+(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})\s*")
_SEGMENT = re.compile(
    r"(?P<arrive>[0-9]{1,2}:[0-9]{2})\s*\(\s*(?P<minutes>[0-9]{1,4})\s*min[^)]*\)\s*"
    r"\[\s*(?P<leave>[0-9]{1,2}:[0-9]{2})\s*\]"
)


def title_date(rows: list[Row]) -> date | None:
    """Return the date of an "Attendance for: … on YYYY-MM-DD" title, or None for other files."""
    for _, cells in rows[:3]:
        if is_blank(cells):
            continue
        text = "\t".join(cells).strip()
        match = _TITLE.fullmatch(text)
        if match is None or ":" not in match["label"]:
            return None
        try:
            return date.fromisoformat(match["day"])
        except ValueError:
            return None
    return None


def parse_meet_segments(rows: list[Row], clock: ReportClock) -> ParsedReport:
    """Read each person's segments on the title's date; a row without segments adds no time."""
    day = title_date(rows)
    assert day is not None, "parse_meet_segments needs a titled export"
    roster = Roster()
    count = segments = 0
    title_seen = False
    for line, cells in rows:
        if is_blank(cells):
            continue
        if not title_seen:
            title_seen = True
            continue
        count += 1
        name = require_name(collapse_spaces(cells[0]), None, "name", line)
        person = roster.person(line, (name,), None)
        for segment in _SEGMENT.finditer("\t".join(cells[1:])):
            person.intervals.append(_interval(clock, day, segment, line))
            segments += 1
    if count and not segments:
        reason = 'no row has a time in the call like "15:33 (30min) [16:02]": nothing to count'
        raise ReportError(reason, 1)
    return finish_report("meet", count, 1, roster)


def _interval(clock: ReportClock, day: date, segment: re.Match[str], line: int):
    """Return a segment's arrival and leave as UTC instants, the leave after the arrival."""
    arrive = _on(clock, day, segment["arrive"], line)
    leave = _on(clock, day, segment["leave"], line)
    if leave < arrive:
        leave = _on(clock, day + timedelta(days=1), segment["leave"], line)
    return arrive, leave


def _on(clock: ReportClock, day: date, text: str, line: int) -> datetime:
    """Return a time of day on a date in the report's zone, as a UTC instant."""
    hour, minute = (int(part) for part in text.split(":"))
    if hour > 23 or minute > 59:
        raise ReportError(f'"{text}" is not a time of day', line)
    return clock.at(day, hour, minute)
