"""A property over generated reports: every import is exactly right, or refused; never wrong
minutes.

Reports are written by tests/domain/report_exports.py in each shape, with label languages
(one the service lists nowhere), separators, encodings, shuffled columns, date formats, rejoins,
people still in when a Teams list was downloaded, and two people of one name in the meeting at
once. Each person's minutes are computed independently, in the test.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from compliance.domain.people import name_key
from compliance.domain.presence import present_seconds
from compliance.domain.reports import ReportError, parse_participant_report
from tests.domain.report_exports import (
    DATE_FORMATS,
    MEET_LABELS,
    TEAMS_LABELS,
    TEAMS_LIST_LABELS,
    ZOOM_LABELS,
    Person,
    Style,
    dotted,
    french,
    iso_like,
    meet_report,
    teams_day_first,
    teams_list,
    teams_report,
    teams_us,
    true_minutes,
    zoom_per_join,
    zoom_unique,
)

CHICAGO = ZoneInfo("America/Chicago")
UTC = ZoneInfo("UTC")
NAMES = (
    "Andrew",
    "Dana Kowalski",
    "José Álvarez",
    "山田 太郎",
    "Morgan, L.",
    "Lee",
    "Nguyễn Văn A",
)
# 2025-03-04 reads as 4 March or 3 April; 2025-12-08 as 8 December or 12 August.
SESSION_DAYS = ((2025, 3, 4), (2025, 12, 8), (2025, 7, 7))
UNLISTED = "sv"

SHAPES = {
    "zoom": (ZOOM_LABELS, DATE_FORMATS),
    "teams": (TEAMS_LABELS, (teams_us, teams_day_first, french, iso_like, dotted)),
    "teams-list": (TEAMS_LIST_LABELS, DATE_FORMATS),
    "meet": (MEET_LABELS, (None,)),
}
SHUFFLED_SHAPES = ("zoom", "teams-list")


@st.composite
def intervals_of(draw, start: datetime) -> list[tuple[datetime, datetime]]:
    """1–3 joins of one person, one after another, minute-aligned, around the session."""
    moment = start + timedelta(minutes=draw(st.integers(-30, 50)))
    joins = []
    for _ in range(draw(st.integers(1, 3))):
        length = timedelta(minutes=draw(st.integers(2, 70)))
        joins.append((moment, moment + length))
        moment += length + timedelta(minutes=draw(st.integers(1, 15)))
    return joins


@st.composite
def meetings(draw):
    """A session window and the people in it; perhaps two of one name in at once."""
    day = draw(st.sampled_from(SESSION_DAYS))
    start = datetime(*day, 19, 0, tzinfo=CHICAGO)
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    people = [
        Person(
            name, f"p{n}@example.org" if draw(st.booleans()) else None, draw(intervals_of(start))
        )
        for n, name in enumerate(names)
    ]
    if draw(st.booleans()):
        first = people[0]
        first.email = None
        join, leave = first.intervals[0]
        twin_join = join + timedelta(minutes=1)
        twin_leave = twin_join + timedelta(minutes=draw(st.integers(1, 80)))
        people.append(Person(first.name, None, [(twin_join, twin_leave)]))
    return (start, start + timedelta(hours=1)), people


@st.composite
def exports(draw, shape: str):
    """A generated meeting written as one platform's file, and what the test knows of it."""
    window, people = draw(meetings())
    labels, formats = SHAPES[shape]
    language = draw(st.sampled_from(sorted(labels)))
    when = draw(st.sampled_from(formats))
    style = Style(
        draw(st.sampled_from([",", ";", "\t"])),
        draw(
            st.sampled_from(
                ["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-le", "utf-16-be", "utf-16-be-bom"]
            )
        ),  # fmt: skip
        draw(st.none() | st.integers(0, 1000)) if shape in SHUFFLED_SHAPES else None,
    )
    still_in: set[str] = set()
    if shape == "teams-list":
        for person in people:
            person.email = None  # an attendance list has no emails
        still_in = set(draw(st.sets(st.sampled_from([p.name for p in people]))))
        data = teams_list(people, language, when, style, still_in)
        _extend_open_joins(people, still_in, window)
    elif shape == "zoom":
        data = zoom_per_join(people, language, when, style)
    elif shape == "teams":
        data = teams_report(people, language, when, style)
    else:
        data = meet_report(people, language, style, title=draw(st.booleans()))
    plain = language != UNLISTED and style.shuffle_seed is None
    return data, window, people, plain, f"{shape}/{language}"


def _extend_open_joins(people: list[Person], still_in: set[str], window) -> None:
    """A join never left lasts until the scheduled end, or the list's last event if later."""
    events = []
    for person in people:
        for n, (join, leave) in enumerate(person.intervals):
            left = not (person.name in still_in and n == len(person.intervals) - 1)
            events += [join, leave] if left else [join]
    open_until = max(window[1], max(events))
    for person in people:
        if person.name in still_in:
            join, _ = person.intervals[-1]
            person.intervals[-1] = (join, max(join, open_until))


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_generated_report_imports_exactly_right_or_is_refused(shape, data):
    data, window, people, plain, label = data.draw(exports(shape))
    try:
        report = parse_participant_report(data, CHICAGO, *window)
    except ReportError as refused:
        event(f"refused {label}")
        # Labels the service knows, in their platform's column order, are always read.
        assert not plain, f"{label} was refused: {refused}"
        return
    event(f"imported {label}")
    utc_window = tuple(moment.astimezone(UTC) for moment in window)
    by_name: dict[str, list[Person]] = {}
    for person in people:
        by_name.setdefault(name_key(person.name), []).append(person)
    for key, namesakes in by_name.items():
        parsed = [p for p in report.participants if name_key(p.name) == key]
        if len(namesakes) == 1:
            (person,) = namesakes
            (entry,) = parsed
            assert not entry.same_name_apart
            assert entry.email == person.email
            got = present_seconds(entry.intervals, utc_window) // 60
            assert got == true_minutes(person, window), (label, person)
        else:
            # Two people of one name in at once: kept apart, flagged, and none credited with
            # more than the most either of them was there.
            event("two people of one name in at once")
            most = max(true_minutes(person, window) for person in namesakes)
            assert parsed and all(entry.same_name_apart for entry in parsed)
            for entry in parsed:
                assert present_seconds(entry.intervals, utc_window) // 60 <= most
    assert {name_key(p.name) for p in report.participants} == set(by_name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_unique_users_row_is_one_person_with_its_own_total(data):
    (window, people), language = (
        data.draw(meetings()),
        data.draw(st.sampled_from(sorted(ZOOM_LABELS))),
    )
    style = Style(
        data.draw(st.sampled_from([",", ";", "\t"])),
        data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be"])),
        data.draw(st.none() | st.integers(0, 1000)),
    )
    totals = [
        (p.name, p.email, sum(int((b - a).total_seconds()) // 60 for a, b in p.intervals))
        for p in people
    ]
    try:
        report = parse_participant_report(zoom_unique(totals, language, style), CHICAGO, *window)
    except ReportError as refused:
        assert language == UNLISTED or style.shuffle_seed is not None, str(refused)
        return
    assert [(p.name, p.email, p.total_seconds // 60) for p in report.participants] == totals
