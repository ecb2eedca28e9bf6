"""Teams attendance lists (2020–2022): one row per event, "Joined", "Joined before" or "Left".

Each person's joins and leaves are paired in time order. A join with no later leave means the
person was still in the meeting when the organiser downloaded the list, which Teams allowed
only during the meeting: it lasts until the scheduled end, or until the list's last event when
that is later (presence beyond the scheduled end is clipped away anyway). A leave with no join
before it proves no time and adds none. Two joins of one name with no leave between are two
people of that name at once: their leaves cannot be told apart, so they are listed apart with
no time and flagged, never summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from compliance.domain.reports import labels
from compliance.domain.reports.cells import require_instant, require_name, shown
from compliance.domain.reports.headers import Header
from compliance.domain.reports.model import ParsedReport, ReportError
from compliance.domain.reports.names import strip_account_markers
from compliance.domain.reports.roster import Roster, email_value, finish_report
from compliance.domain.reports.table import Row, attendance_rows
from compliance.domain.reports.timeparse import ReportClock


@dataclass(frozen=True)
class _Event:
    instant: datetime
    word: str
    line: int


def parse_teams_list(rows: list[Row], clock: ReportClock, header: Header) -> ParsedReport:
    """Read an attendance list into one entry per name with its paired intervals."""
    events, emails, first_lines, count = _events_by_name(rows, clock, header)
    meaning = _action_meanings(events, header.title("action"))
    last_event = max(event.instant for person in events.values() for event in person)
    open_until = max(clock.window[1], last_event)
    roster = Roster()
    for name, person_events in events.items():
        intervals = _paired(person_events, meaning, open_until)
        if intervals is None:
            for _ in range(_most_at_once(person_events, meaning)):
                roster.distinct_person(first_lines[name], (name,), None, same_name_apart=True)
            continue
        person = roster.person(first_lines[name], (name,), emails.get(name))
        person.intervals.extend(intervals)
    return finish_report("teams", count, header.line, roster)


def _events_by_name(
    rows: list[Row], clock: ReportClock, header: Header
) -> tuple[dict[str, list[_Event]], dict[str, str], dict[str, int], int]:
    """Return each name's events in time order, their emails and first lines, and the count."""
    pick = header.picker("name", "action", "timestamp", "email")
    events: dict[str, list[_Event]] = {}
    emails: dict[str, str] = {}
    first_lines: dict[str, int] = {}
    count = 0
    for line, cells in attendance_rows(rows, header.row_index):
        count += 1
        name_text, word, stamp, email_text = pick(cells)
        email = email_value(email_text)
        name = require_name(strip_account_markers(name_text), email, header.title("name"), line)
        instant = require_instant(
            clock.instant(stamp), stamp, header.title("timestamp"), line, clock.unsettled
        )
        events.setdefault(name, []).append(_Event(instant, word.strip(), line))
        first_lines.setdefault(name, line)
        if email:
            emails.setdefault(name, email)
    for person_events in events.values():
        person_events.sort(key=lambda event: event.instant)
    return events, emails, first_lines, count


def _action_meanings(events: dict[str, list[_Event]], title: str) -> dict[str, str]:
    """Return "join" or "leave" for each action word: known words, else learnt from the list
    (the word every person's first event has is joining), else refuse the list."""
    words = {event.word for person in events.values() for event in person}
    meaning = {word: found for word in words if (found := labels.action_of(word))}
    unknown = words - meaning.keys()
    if not unknown:
        return meaning
    first_words = {person[0].word for person in events.values()}
    if len(words) == 2 and len(first_words) == 1:
        (join,) = first_words
        return {word: "join" if word == join else "leave" for word in words}
    shown_words = ", ".join(shown(word) for word in sorted(unknown))
    line = min(
        event.line for person in events.values() for event in person if event.word in unknown
    )
    raise ReportError(
        f'the "{title}" column holds {shown_words}: which of them means joining and which '
        "leaving cannot be told, so nothing is guessed",
        line,
    )


def _paired(
    events: list[_Event], meaning: dict[str, str], open_until: datetime
) -> list[tuple[datetime, datetime]] | None:
    """Return a person's (join, leave) intervals, or None when two joins overlap."""
    intervals = []
    joined: datetime | None = None
    for event in events:
        if meaning[event.word] == "join":
            if joined is not None:
                return None  # two people of this name in at once
            joined = event.instant
        elif joined is not None:
            intervals.append((joined, event.instant))
            joined = None
    if joined is not None:
        intervals.append((joined, max(joined, open_until)))
    return intervals


def _most_at_once(events: list[_Event], meaning: dict[str, str]) -> int:
    """Return how many people of one name were in the meeting at once, at most."""
    inside = most = 0
    for event in events:
        inside = inside + 1 if meaning[event.word] == "join" else max(inside - 1, 0)
        most = max(most, inside)
    return most
