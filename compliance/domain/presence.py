"""Minutes present inside the scheduled window, and the rule that makes them count."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime]


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Return the union of intervals as sorted, non-overlapping, non-touching spans."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip_intervals(intervals: Iterable[Interval], window: Interval) -> list[Interval]:
    """Return the parts of intervals that fall inside the window."""
    lo, hi = window
    clipped = ((max(start, lo), min(end, hi)) for start, end in intervals)
    return [(start, end) for start, end in clipped if end > start]


def present_seconds(intervals: Iterable[Interval], window: Interval) -> int:
    """Return whole seconds covered by the union of intervals inside the window."""
    covered = merge_intervals(clip_intervals(intervals, window))
    return int(sum((end - start for start, end in covered), timedelta()).total_seconds())


@dataclass(frozen=True)
class PresenceRule:
    """A meeting's bar: the share of the scheduled window a person must be present."""

    min_presence_percent: int

    def qualifies(self, present: int, scheduled: int) -> bool:
        """Return whether `present` seconds meet the bar for `scheduled` seconds."""
        # Integer arithmetic: 80 % of 3600 s is exactly 2880 s, no float rounding at the edge.
        return present * 100 >= self.min_presence_percent * scheduled


@dataclass(frozen=True)
class Presence:
    """A person's presence in one session."""

    seconds: int
    qualifies: bool

    @property
    def minutes(self) -> int:
        return self.seconds // 60


def assess_presence(
    intervals: Iterable[Interval],
    window: Interval,
    rule: PresenceRule,
    reported_total_seconds: int | None = None,
) -> Presence:
    """Return presence from join/leave intervals, or from a report's total when it has no times.

    Zoom's "unique users" export only gives a total: it is taken as given, capped at the
    scheduled length. A person with both a total and timed intervals gets the larger of the two,
    since the two cannot be merged without double counting.
    """
    scheduled = int((window[1] - window[0]).total_seconds())
    seconds = present_seconds(intervals, window)
    if reported_total_seconds is not None:
        seconds = max(seconds, min(scheduled, max(0, reported_total_seconds)))
    return Presence(seconds=seconds, qualifies=rule.qualifies(seconds, scheduled))
