"""Read one cell as a value a parser needs, or refuse the file naming the line and column."""

from __future__ import annotations

from datetime import date, datetime
from typing import NoReturn

from compliance.domain.reports.model import Interval, ReportError

_SHOWN_VALUE_LENGTH = 60


def shown(value: str) -> str:
    """Return a cell value quoted for a message, shortened when long."""
    if len(value) > _SHOWN_VALUE_LENGTH:
        value = value[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f'"{value}"'


Unsettled = dict[str, tuple[date, date, date]]


def require_instant(
    instant: datetime | None, text: str, title: str, line: int, unsettled: Unsettled | None = None
) -> datetime:
    """Return a parsed time, or refuse the row when the cell was empty, not a time, or a date
    whose day/month order the session's date cannot settle."""
    if instant is not None:
        return instant
    if unsettled and text in unsettled:
        raise ReportError(_unsettled_reason(text.strip(), title, unsettled[text]), line)
    text = text.strip()
    if not text:
        raise ReportError(f'"{title}" is empty', line)
    raise ReportError(f'"{title}" value {shown(text)} is not a date and time', line)


def _unsettled_reason(text: str, title: str, readings: tuple[date, date, date]) -> str:
    """Return why a date that could be day-first or month-first was not read."""
    first, second, session_day = (day.isoformat() for day in readings)
    return (
        f'"{title}" value {shown(text)} could be {first} or {second}, and the session is on '
        f"{session_day}, so the order of day and month cannot be told and nothing is guessed. "
        "Check that this is the report of this session"
    )


def require_order(
    interval: Interval, titles: tuple[str, str], texts: tuple[str, str], line: int
) -> Interval:
    """Return a (join, leave) pair, or refuse the row when it leaves before it joins."""
    if interval[1] < interval[0]:
        raise ReportError(
            f'"{titles[1]}" {shown(texts[1].strip())} is before '
            f'"{titles[0]}" {shown(texts[0].strip())}',
            line,
        )
    return interval


def refuse_interval(
    join: datetime | None,
    leave: datetime | None,
    titles: tuple[str, str],
    texts: tuple[str, str],
    line: int,
    unsettled: Unsettled | None = None,
) -> NoReturn:
    """Refuse a row whose join or leave is not a time, or that leaves before it joins."""
    join = require_instant(join, texts[0], titles[0], line, unsettled)
    leave = require_instant(leave, texts[1], titles[1], line, unsettled)
    require_order((join, leave), titles, texts, line)
    raise AssertionError("refuse_interval was called for a valid interval")


def require_length(seconds: int | None, text: str, title: str, line: int) -> int:
    """Return a parsed length, or refuse the row when the cell is not a length of time."""
    if seconds is not None:
        return seconds
    raise ReportError(f'"{title}" value {shown(text)} is not a length of time', line)


def require_name(name: str, email: str | None, title: str, line: int) -> str:
    """Return the name to show, the email when the name is blank, or refuse a nameless row."""
    if name:
        return name
    if email:
        return email
    raise ReportError(f'"{title}" is empty and the row has no email', line)
