"""Read a report's wall-clock times as aware UTC instants, settled against the session's date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

# AM/PM as English, Spanish ("p. m.") and East Asian (午後, 下午, 오후) exports write it.
_EAST_ASIAN_MERIDIEM = r"午前 | 午後 | 上午 | 下午 | 오전 | 오후"
_MERIDIEM = r"[AaPp] \.? \s? [Mm] \.? | " + _EAST_ASIAN_MERIDIEM
_CLOCK = (
    r"""
    (?: (?P<meridiem_first> """
    + _MERIDIEM
    + r""" ) \s* )?
    (?P<hour>[0-9]{1,2}) (?P<clock_sep>[:%s]) (?P<minute>[0-9]{2})
    (?: (?P=clock_sep) (?P<second>[0-9]{2}) (?:[.,][0-9]{1,6})? )?
    \s* (?P<meridiem> """
    + _MERIDIEM
    + r""" )?
"""
)
_DATE = r"""
    (?: (?P<first>[0-9]{1,4}) (?P<sep>[/.-]) (?P<second_part>[0-9]{1,2}) (?P=sep)
        (?P<third>[0-9]{1,4}) \.?
      | (?P<kanji_year>[0-9]{4}) \s* 年 \s* (?P<kanji_month>[0-9]{1,2}) \s* 月 \s*
        (?P<kanji_day>[0-9]{1,2}) \s* 日
      | (?P<spaced_year>[0-9]{4}) \. \s+ (?P<spaced_month>[0-9]{1,2}) \. \s+
        (?P<spaced_day>[0-9]{1,2}) \. )
"""
# Between date and time: a comma, a space, "T", or a short word ("à", "às", "um", "alle", "om",
# "pukul", "at", "a las") as localised exports write it.
# "午後" and the like before the time are its AM/PM, not such a word.
_BETWEEN = (
    r"(?: \s*,\s* | \s+ (?: (?! " + _EAST_ASIAN_MERIDIEM + r" ) [^\W\d_]{1,6} \.? \s+ ){0,2}"
    r" | T | (?<=日) \s* )"
)
_DATE_TIME = re.compile(r"\s*" + _DATE + _BETWEEN + (_CLOCK % ".") + r"\s*", re.VERBOSE)
_TIME_OF_DAY = re.compile(r"\s*" + (_CLOCK % "") + r"\s*", re.VERBOSE)
_PM_MARKERS = ("p", "P", "午後", "下午", "오후")

ONE_DAY = timedelta(days=1)


class ReportClock:
    """Turn one report's time cells into UTC instants near one scheduled session.

    A date written a/b/y can be month-first or day-first. The reading whose date lies within
    one day of the session's local start or end date wins; a reading that is not a real date is
    never chosen. When both real readings differ and neither is near the session, the session's
    date cannot settle the order: the cell is not read (see `unsettled`), never guessed. Dotted
    dates (4.3.2025) are always day-first; four-digit-first dates (2025-03-04, 2020/12/8,
    2020年12月8日) always year-month-day.
    """

    def __init__(self, zone: tzinfo, session_start: datetime, session_end: datetime) -> None:
        if session_start.tzinfo is None or session_end.tzinfo is None:
            raise ValueError("session_start and session_end must be timezone-aware")
        self.zone = zone
        self.window = (min(session_start, session_end), max(session_start, session_end))
        self.start_date = self.window[0].astimezone(zone).date()
        self.earliest_date = self.start_date - ONE_DAY
        self.latest_date = self.window[1].astimezone(zone).date() + ONE_DAY
        self._days: dict[tuple[str, str, str, str], date | None] = {}
        # Date cells whose day/month order the session's date could not settle: their two
        # readings and the session's date.
        self.unsettled: dict[str, tuple[date, date, date]] = {}
        self._unsettled_keys: dict[tuple[str, str, str, str], tuple[date, date]] = {}
        # A meeting's times repeat across rows; the C-level cache makes a repeat nearly free.
        self.instant: Callable[[str], datetime | None] = lru_cache(maxsize=None)(self._read_instant)
        self.time_near_session: Callable[[str], datetime | None] = lru_cache(maxsize=None)(
            self._time_near_session
        )
        self.time_after: Callable[[str, datetime], datetime | None] = lru_cache(maxsize=None)(
            self._time_after
        )

    def _time_near_session(self, text: str) -> datetime | None:
        """Return the UTC instant of a time-of-day cell on the date nearest the session."""
        if (found := self.instant(text)) is not None:
            return found
        clock = _read_clock(_TIME_OF_DAY.fullmatch(text))
        if clock is None:
            return None
        candidates = [
            (self._distance_to_window(instant), abs((day - self.start_date).days), instant)
            for day in _days_between(self.earliest_date, self.latest_date)
            if (instant := self._to_utc(day, clock)) is not None
        ]
        return min(candidates)[2] if candidates else None

    def _time_after(self, text: str, earliest: datetime) -> datetime | None:
        """Return the UTC instant of a time-of-day cell on the first date at or after `earliest`."""
        if (found := self.instant(text)) is not None:
            return found
        clock = _read_clock(_TIME_OF_DAY.fullmatch(text))
        if clock is None:
            return None
        try:
            day = earliest.astimezone(self.zone).date()
            days = (day, day + ONE_DAY)
        except (OverflowError, ValueError):
            return None  # `earliest` is at the very edge of the calendar
        instant = None
        for candidate_day in days:
            instant = self._to_utc(candidate_day, clock)
            if instant is not None and instant >= earliest:
                return instant
        return instant

    def _read_instant(self, text: str) -> datetime | None:
        """Return the UTC instant of a date-and-time cell, or None when it is not one."""
        match = _DATE_TIME.fullmatch(text)
        clock = _read_clock(match)
        if clock is None:
            return None
        if match["kanji_year"] or match["spaced_year"]:
            form = "kanji" if match["kanji_year"] else "spaced"
            day = _real_date(*(int(match[f"{form}_{part}"]) for part in ("year", "month", "day")))
        else:
            key = (match["first"], match["sep"], match["second_part"], match["third"])
            try:
                day = self._days[key]
            except KeyError:
                day = self._days[key] = self._settle_date(*key)
            if day is None and key in self._unsettled_keys:
                self.unsettled[text] = (*self._unsettled_keys[key], self.start_date)
        return None if day is None else self._to_utc(day, clock)

    def _settle_date(self, first: str, sep: str, second: str, third: str) -> date | None:
        """Return the calendar date a/b/y means for this session, by the class's rule."""
        if len(first) == 4:
            return _real_date(int(first), int(second), int(third)) if len(third) <= 2 else None
        if len(first) > 2 or len(third) not in (2, 4):
            return None
        year = int(third) + 2000 if len(third) == 2 else int(third)
        month_first = None if sep == "." else _real_date(year, int(first), int(second))
        day_first = _real_date(year, int(second), int(first))
        readings = sorted({r for r in (month_first, day_first) if r is not None})
        plausible = [r for r in readings if self.earliest_date <= r <= self.latest_date]
        if len(plausible) == 1:
            return plausible[0]
        if len(readings) == 1:
            return readings[0]  # from another day, which the caller names
        if readings:
            self._unsettled_keys[(first, sep, second, third)] = (readings[0], readings[1])
        return None

    def at(self, day: date, hour: int, minute: int) -> datetime:
        """Return the UTC instant of a wall-clock time on a date in the report's zone."""
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone).astimezone(
            UTC
        )

    def _to_utc(self, day: date, clock: tuple[int, int, int, bool]) -> datetime | None:
        """Return the UTC instant of a wall-clock time on a date in the report's zone."""
        hour, minute, second, _ = clock
        try:
            local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.zone)
            return local.astimezone(UTC)
        except (ValueError, OverflowError):
            return None

    def _distance_to_window(self, instant: datetime) -> timedelta:
        """Return how far an instant lies outside the session window (zero inside it)."""
        start, end = self.window
        return max(start - instant, instant - end, timedelta(0))


def _read_clock(match: re.Match[str] | None) -> tuple[int, int, int, bool] | None:
    """Return (hour, minute, second, is 12-hour) from a matched clock, or None if impossible."""
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"]) if match["second"] else 0
    meridiem = match["meridiem"] or match["meridiem_first"]
    if minute > 59 or second > 59 or (match["meridiem"] and match["meridiem_first"]):
        return None
    if meridiem is None:
        return (hour, minute, second, False) if hour <= 23 else None
    # "午後 0:30" and "下午 0:30" count from noon, as Japanese and Chinese clocks do.
    east_asian_zero = hour == 0 and meridiem[0] not in "AaPp"
    if not (1 <= hour <= 12 or east_asian_zero):
        return None
    hour %= 12
    if meridiem.startswith(_PM_MARKERS):
        hour += 12
    return hour, minute, second, True


def _real_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when there is no such day."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _days_between(first: date, last: date) -> list[date]:
    """Return each date from `first` to `last` inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def looks_like_instant(text: str) -> bool:
    """Return whether a cell is written as a date and a time, whatever the date's order."""
    return _DATE_TIME.fullmatch(text) is not None


def looks_like_time_of_day(text: str) -> bool:
    """Return whether a cell is written as a time of day alone ("10:02 AM", "19:05")."""
    return _TIME_OF_DAY.fullmatch(text) is not None
