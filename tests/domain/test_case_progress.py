"""Case progress: which records count, periods, and the status (tables and properties)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.domain.cases.chart import week_chart
from compliance.domain.cases.progress import (
    MEETINGS,
    PER_WEEK,
    CaseRecord,
    CaseStatus,
    Period,
    Requirement,
    Terms,
    closing_short,
    latest_day_under_way,
    progress,
    status_of,
)
from compliance.domain.verdict import Status

START = date(2025, 3, 3)  # a Monday
SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def record(
    day: date,
    *,
    hour: int = 19,
    minutes: int = 60,
    status: str = "valid",
    program: str = "AA",
    length: int = 60,
    code: str | None = None,
) -> CaseRecord:
    starts = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return CaseRecord(
        code=code or f"{day:%Y%m%d}{hour:02d}{minutes:03d}{status[:1]}{program[:2]}",
        status=Status(status), day=day, starts_at=starts,
        ends_at=starts + timedelta(minutes=length), meeting="Circle", program=program,
        minutes=minutes,
    )  # fmt: skip


def weekly(k: int = 1, weeks: int = 3, **terms) -> Terms:
    return Terms(Requirement(PER_WEEK, k, weeks), START, **terms)


def within(n: int, days: int, **terms) -> Terms:
    return Terms(Requirement(MEETINGS, n, days), START, **terms)


LATER = date(2030, 1, 1)  # every period is over


@pytest.mark.parametrize(
    ("terms", "records", "counts"),
    [
        (weekly(), [record(START)], [True]),
        (weekly(), [record(START, status="revoked")], [False]),
        (weekly(), [record(START, status="key_revoked")], [False]),
        (weekly(min_minutes=61), [record(START)], [False]),
        (weekly(min_minutes=60), [record(START)], [True]),
        (weekly(programs=("NA",)), [record(START)], [False]),
        (weekly(programs=(" aa ",)), [record(START)], [True]),
        # Two meetings at once count once: the one with more minutes.
        (weekly(), [record(START, minutes=50), record(START, hour=19, minutes=55, code="B")],
         [False, True]),
        # Back to back is not overlapping.
        (weekly(), [record(START, hour=18), record(START, hour=19)], [True, True]),
        # A revoked record does not hide a valid one at the same time.
        (weekly(), [record(START, status="revoked", minutes=70), record(START, code="B")],
         [False, True]),
    ],
)  # fmt: skip
def test_what_counts(terms, records, counts):
    shown = progress(terms, records, LATER)
    by_code = {line.record.code: line.counts for line in shown.lines}
    assert [by_code[r.code] for r in records] == counts


def test_records_outside_the_window_are_not_shown():
    terms = weekly(weeks=1)
    shown = progress(
        terms, [record(START - timedelta(days=1)), record(START + timedelta(7))], LATER
    )
    assert shown.lines == ()


@pytest.mark.parametrize(
    ("periods", "today", "status"),
    [
        ([(0, 7, 3, 3)], 3, CaseStatus.MET),
        ([(0, 7, 1, 3)], 3, CaseStatus.ON_TRACK),  # 2 more in 4 days left (today included)
        ([(0, 7, 0, 3)], 4, CaseStatus.ON_TRACK),  # 3 more in 3 days left: one a day
        ([(0, 7, 0, 3)], 5, CaseStatus.BEHIND),  # 3 more in 2 days left
        ([(0, 7, 2, 3)], 8, CaseStatus.BEHIND),  # over, short
        ([(0, 7, 1, 1), (7, 14, 0, 1)], 3, CaseStatus.ON_TRACK),  # week 2 not begun
        ([(0, 7, 0, 1), (7, 14, 2, 1)], 10, CaseStatus.BEHIND),  # week 1 short, not made up
        ([(0, 7, 1, 1), (7, 14, 1, 1)], 3, CaseStatus.MET),
    ],
)
def test_status(periods, today, status):
    made = [Period(START + timedelta(a), START + timedelta(b - 1), c, n) for a, b, c, n in periods]
    assert status_of(made, START + timedelta(today)) is status


def test_weekly_periods_are_seven_days_from_the_start():
    shown = progress(weekly(k=2, weeks=2), [], START)
    assert [(p.date_from, p.date_to, p.needed) for p in shown.periods] == [
        (date(2025, 3, 3), date(2025, 3, 9), 2),
        (date(2025, 3, 10), date(2025, 3, 16), 2),
    ]
    assert shown.needed == 4


def test_a_period_is_over_only_once_its_last_day_ended_everywhere():
    # 23:30 UTC on the 9th is still the 9th in Hawaii: the week ending the 9th is not over.
    assert latest_day_under_way(datetime(2025, 3, 10, 11, 30, tzinfo=UTC)) == date(2025, 3, 9)
    assert latest_day_under_way(datetime(2025, 3, 10, 12, 30, tzinfo=UTC)) == date(2025, 3, 10)


def test_a_reminder_is_due_in_the_last_two_days_of_a_short_week():
    shown = progress(weekly(k=2), [record(START)], START)
    assert closing_short(shown.periods, START + timedelta(4)) is None
    assert closing_short(shown.periods, START + timedelta(5)) == shown.periods[0]
    met = progress(weekly(k=1), [record(START)], START)
    assert closing_short(met.periods, START + timedelta(6)) is None


def test_the_chart_has_a_bar_per_week():
    terms = within(10, 30)
    shown = progress(terms, [record(START), record(START + timedelta(8))], LATER)
    chart = week_chart(terms, shown, LATER)
    assert len(chart.bars) == 5 and [b.counted for b in chart.bars] == [1, 1, 0, 0, 0]
    assert {b.state for b in chart.bars} == {"short"}


# --- properties -----------------------------------------------------------------------------

records_in_march = st.lists(
    st.builds(
        record,
        st.dates(date(2025, 2, 20), date(2025, 4, 10)),
        hour=st.integers(0, 22),
        minutes=st.integers(0, 90),
        status=st.sampled_from(["valid", "valid", "revoked", "key_revoked"]),
        program=st.sampled_from(["AA", "NA"]),
        length=st.integers(15, 120),
    ),
    max_size=25,
    unique_by=lambda r: r.code,
)
requirements = st.one_of(
    st.builds(Requirement, st.just(MEETINGS), st.integers(1, 20), st.integers(1, 40)),
    st.builds(Requirement, st.just(PER_WEEK), st.integers(1, 4), st.integers(1, 6)),
)


@SOME
@given(records_in_march, requirements, st.integers(0, 60), st.dates(date(2025, 2, 1), LATER))
def test_counted_records_are_valid_long_enough_in_the_window_and_never_overlap(
    records, requirement, min_minutes, today
):
    terms = Terms(requirement, START, min_minutes)
    shown = progress(terms, records, today)
    counting = [line.record for line in shown.lines if line.counts]
    assert all(r.status == "valid" and r.minutes >= min_minutes for r in counting)
    assert all(START <= r.day <= terms.ends_on for r in counting)
    for a in counting:
        for b in counting:
            assert a is b or a.ends_at <= b.starts_at or b.ends_at <= a.starts_at
    assert shown.counted == len(counting) == sum(p.counted for p in shown.periods)
    assert shown.credited <= min(shown.counted, shown.needed)
    assert (shown.status is CaseStatus.MET) == all(p.met for p in shown.periods)


@SOME
@given(records_in_march, requirements, st.dates(date(2025, 2, 1), LATER))
def test_revoking_a_record_never_raises_the_count(records, requirement, today):
    terms = Terms(requirement, START)
    before = progress(terms, records, today)
    for index, chosen in enumerate(records):
        revoked = [*records[:index], record_with(chosen, "revoked"), *records[index + 1 :]]
        assert progress(terms, revoked, today).credited <= before.credited


def record_with(chosen: CaseRecord, status: str) -> CaseRecord:
    from dataclasses import replace

    return replace(chosen, status=Status(status))


@SOME
@given(records_in_march, requirements)
def test_met_never_turns_behind_as_time_passes_and_behind_stays_behind(records, requirement):
    terms = Terms(requirement, START)
    days = [START + timedelta(n) for n in range(0, 60, 3)]
    statuses = [progress(terms, records, day).status for day in days]
    if CaseStatus.BEHIND in statuses:
        assert all(s is CaseStatus.BEHIND for s in statuses[statuses.index(CaseStatus.BEHIND) :])
    assert len({s is CaseStatus.MET for s in statuses}) == 1  # met does not depend on the day
