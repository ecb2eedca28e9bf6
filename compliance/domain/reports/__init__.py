"""Participant reports from Zoom, Microsoft Teams and Google Meet, read into one entry per person.

The only exception `parse_participant_report` raises for any bytes is `ReportError`.

How a file is read: `encoding` (UTF-8 / UTF-16, BOM or not) → `table` (rows of cells, the
separator sniffed) → `detect`: the English labels of known shapes, else `columns`, a table
recognised by what its columns hold (`column_kinds`) and the shape their kinds make
(`table_shapes`), with `labels` in ten languages as hints; `unrecognised` says why not, and
`join_order` settles which unlabelled time is the join → one parser per shape (`zoom`,
`teams`, `teams_list`, `meet`, `meet_segments`). Parsers read cells with `timeparse`,
`durations`, `names` and `cells`, gather people in `roster`, keep apart people of one name they
cannot tell apart (`same_name`), and count only what surely fell inside the window for someone
away between first join and last leave (`away`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, tzinfo

from compliance.domain.reports.detect import Detected, detect_format
from compliance.domain.reports.encoding import decode_report
from compliance.domain.reports.join_order import settle_join_and_leave
from compliance.domain.reports.meet import parse_meet, parse_meet_totals
from compliance.domain.reports.meet_segments import parse_meet_segments
from compliance.domain.reports.model import ParsedReport, ReportError, ReportParticipant
from compliance.domain.reports.table import Row, read_rows
from compliance.domain.reports.teams import parse_teams
from compliance.domain.reports.teams_list import parse_teams_list
from compliance.domain.reports.timeparse import ReportClock
from compliance.domain.reports.zoom import parse_zoom_joins, parse_zoom_unique

__all__ = [
    "ParsedReport",
    "ReportError",
    "ReportParticipant",
    "parse_participant_report",
]

_PARSERS: dict[str, Callable[[list[Row], ReportClock, Detected], ParsedReport]] = {
    "zoom": lambda rows, clock, found: parse_zoom_joins(rows, clock, found.header),
    "zoom-unique": lambda rows, clock, found: parse_zoom_unique(rows, clock, found.header),
    "teams": lambda rows, clock, found: parse_teams(rows, clock, found.header, found.per_person),
    "teams-list": lambda rows, clock, found: parse_teams_list(rows, clock, found.header),
    "meet": lambda rows, clock, found: parse_meet(rows, clock, found.header),
    "meet-totals": lambda rows, clock, found: parse_meet_totals(rows, clock, found.header),
    "meet-segments": lambda rows, clock, found: parse_meet_segments(rows, clock),
}


def parse_participant_report(
    data: bytes, timezone: tzinfo, session_start: datetime, session_end: datetime
) -> ParsedReport:
    """Read a report's bytes into one entry per person, times as aware UTC datetimes.

    `timezone` is the zone the report's wall-clock times are in; the session's start and end
    (aware) settle dates a report leaves ambiguous or out, by the rule `ReportClock` states.
    Intervals are raw: neither clipped to the session nor merged. A refusal raised after the
    shape was recognised carries what was recognised in `ReportError.recognised`.
    """
    clock = ReportClock(timezone, session_start, session_end)
    text = decode_report(bytes(data))
    detected = detect_format(text)
    rows = read_rows(text, detected.delimiter)
    if detected.header is not None and not detected.times_labelled:
        header = settle_join_and_leave(detected.header, rows, clock)
        detected = replace(detected, header=header)
    try:
        return _PARSERS[detected.format](rows, clock, detected)
    except ReportError as error:
        error.recognised = detected.described
        raise
