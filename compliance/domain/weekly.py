"""A meeting that repeats every week: which dates it falls on, and when each starts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def occurrences(weekday: int, first: date, days: int, skipped: Iterable[date] = ()) -> list[date]:
    """Return the dates from `first` for `days` days that fall on `weekday`, minus skipped ones."""
    skip = set(skipped)
    ahead = (weekday - first.weekday()) % 7
    found, day = [], first + timedelta(days=ahead)
    while day < first + timedelta(days=days):
        if day not in skip:
            found.append(day)
        day += timedelta(days=7)
    return found


def window_on(on: date, starts: time, minutes: int, zone: str) -> tuple[datetime, datetime]:
    """Return the UTC start and end of the occurrence on `on` at the wall-clock time `starts`
    in the meeting's zone (across a clock change, the same wall-clock time)."""
    start = datetime.combine(on, starts, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return start, start + timedelta(minutes=minutes)
