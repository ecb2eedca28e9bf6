"""A row of first join and last leave whose time in the meeting is shorter than that span: the
person was away in between, and when is not said (Teams' per-person tables, Meet's report)."""

from __future__ import annotations

from datetime import timedelta

from compliance.domain.reports.model import Interval

# Lengths are rounded (Teams to the second or minute, Meet to the minute).
_SPAN_SLACK = timedelta(seconds=60)


def away_in_between(seconds: int | None, interval: Interval) -> bool:
    """Return whether a time in the meeting is shorter than join to leave, beyond rounding."""
    return (
        seconds is not None and seconds < (interval[1] - interval[0] - _SPAN_SLACK).total_seconds()
    )


def surely_inside(seconds: int, interval: Interval, window: Interval) -> int:
    """Return how much of `seconds` in the meeting, somewhere between join and leave, surely
    fell inside the scheduled window: what is left after the most the time outside could hold.
    Never more than the person was there; the facilitator can add what is missing by hand."""
    span = (interval[1] - interval[0]).total_seconds()
    inside = (min(interval[1], window[1]) - max(interval[0], window[0])).total_seconds()
    return max(0, int(seconds - (span - max(0, inside))))
