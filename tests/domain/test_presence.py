from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.domain.presence import (
    PresenceRule,
    assess_presence,
    merge_intervals,
    present_seconds,
)

T0 = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 7:00 PM CST


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def span(a: float, b: float):
    return (at(a), at(b))


WINDOW = span(0, 60)


@pytest.mark.parametrize(
    ("intervals", "expected_seconds"),
    [
        ([], 0),
        ([span(0, 60)], 3600),
        ([span(-10, 70)], 3600),  # joined before the start, left after the end
        ([span(-30, -5)], 0),  # entirely before
        ([span(65, 90)], 0),  # entirely after
        ([span(0, 30), span(20, 50)], 3000),  # overlapping rejoin counted once
        ([span(0, 30), span(30, 50)], 3000),  # touching
        ([span(0, 10), span(20, 30)], 1200),  # a gap is not counted
        ([span(10, 20), span(0, 60), span(5, 6)], 3600),  # nested
        ([span(0, 0.5)], 30),
        ([span(30, 10)], 0),  # backwards interval ignored
    ],
)
def test_present_seconds_clips_and_merges(intervals, expected_seconds):
    assert present_seconds(intervals, WINDOW) == expected_seconds


@pytest.mark.parametrize(
    ("seconds", "percent", "scheduled", "qualifies"),
    [
        (2880, 80, 3600, True),  # exactly 80 %
        (2879, 80, 3600, False),
        (3600, 100, 3600, True),
        (3599, 100, 3600, False),
        (1, 1, 100, True),
        (0, 1, 100, False),
    ],
)
def test_rule_compares_exactly_at_the_edge(seconds, percent, scheduled, qualifies):
    assert PresenceRule(percent).qualifies(seconds, scheduled) is qualifies


def test_minutes_round_down():
    presence = assess_presence([span(0, 47.99)], WINDOW, PresenceRule(80))
    assert presence.minutes == 47
    assert presence.qualifies is False


def test_reported_total_is_capped_at_the_scheduled_length():
    presence = assess_presence([], WINDOW, PresenceRule(80), reported_total_seconds=70 * 60)
    assert presence.seconds == 3600 and presence.qualifies


def test_reported_total_and_intervals_take_the_larger():
    presence = assess_presence([span(0, 10)], WINDOW, PresenceRule(80), reported_total_seconds=3000)
    assert presence.seconds == 3000


minutes = st.integers(min_value=-120, max_value=180)
intervals = st.lists(st.tuples(minutes, minutes).map(lambda ab: span(*sorted(ab))), max_size=12)


@given(intervals)
def test_merged_intervals_are_sorted_disjoint_and_cover_the_same_minutes(spans):
    merged = merge_intervals(spans)
    assert all(a < b for a, b in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))
    covered = {
        m
        for a, b in spans
        for m in range(int((a - T0).total_seconds() // 60), int((b - T0).total_seconds() // 60))
    }
    covered_after = {
        m
        for a, b in merged
        for m in range(int((a - T0).total_seconds() // 60), int((b - T0).total_seconds() // 60))
    }
    assert covered == covered_after


@given(intervals, intervals)
def test_presence_is_bounded_monotonic_and_order_free(first, second):
    window_seconds = 3600
    alone = present_seconds(first, WINDOW)
    together = present_seconds(first + second, WINDOW)
    assert 0 <= alone <= together <= window_seconds
    assert present_seconds(list(reversed(first + second)), WINDOW) == together
    assert together <= alone + present_seconds(second, WINDOW)
