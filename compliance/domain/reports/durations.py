"""Read lengths of time as reports write them: "1h 27m 51s", "1 hr 2 min", "70" minutes."""

from __future__ import annotations

import re

_NUMBER = r"[0-9]{1,7}(?:\.[0-9]{1,3})?"
_PART = rf"({_NUMBER})\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\.?"
_PARTS = re.compile(_PART, re.IGNORECASE)
_LENGTH = re.compile(rf"\s*(?:{_PART}[\s,]*)+", re.IGNORECASE)
_CLOCK_LENGTH = re.compile(r"\s*([0-9]{1,4}):([0-5][0-9]):([0-5][0-9])\s*")
_MINUTES = re.compile(rf"\s*({_NUMBER})\s*")
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}


def length_seconds(text: str) -> int | None:
    """Return whole seconds in a length like "1h 27m 51s", "1 hr 2 min" or "1:02:00"."""
    if clock := _CLOCK_LENGTH.fullmatch(text):
        hours, minutes, seconds = (int(part) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    if not _LENGTH.fullmatch(text):
        return None
    total = sum(
        float(amount) * _UNIT_SECONDS[unit[0].lower()] for amount, unit in _PARTS.findall(text)
    )
    return round(total)


def minutes_seconds(text: str) -> int | None:
    """Return whole seconds in a plain number of minutes like "70" or "70.5"."""
    if match := _MINUTES.fullmatch(text):
        return round(float(match[1]) * 60)
    return None
