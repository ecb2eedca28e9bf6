"""Read one cell as a value a parser needs, or refuse the file naming the line and column."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from compliance.domain.reports.model import Interval, ReportError

_SHOWN_VALUE_LENGTH = 60


def shown(value: str) -> str:
    """Return a cell value quoted for a message, shortened when long."""
    if len(value) > _SHOWN_VALUE_LENGTH:
        value = value[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f'"{value}"'


def require_instant(instant: datetime | None, text: str, title: str, line: int) -> datetime:
    """Return a parsed time, or refuse the row when the cell was empty or not a time."""
    if instant is not None:
        return instant
    text = text.strip()
    if not text:
        raise ReportError(f'"{title}" is empty', line)
    raise ReportError(f'"{title}" value {shown(text)} is not a date and time', line)


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
) -> NoReturn:
    """Refuse a row whose join or leave is not a time, or that leaves before it joins."""
    join = require_instant(join, texts[0], titles[0], line)
    leave = require_instant(leave, texts[1], titles[1], line)
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
