"""The kind of value a report column holds, from its first cells: date and time, time of day,
email, number, length of time, join/leave word, or text."""

from __future__ import annotations

import re

from compliance.domain.reports import labels
from compliance.domain.reports.durations import length_seconds
from compliance.domain.reports.timeparse import looks_like_instant, looks_like_time_of_day

INSTANT, CLOCK, EMAIL, NUMBER, LENGTH, ACTION, TEXT, EMPTY = (
    "instant", "clock", "email", "number", "length", "action", "text", "empty",
)  # fmt: skip
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[0-9][0-9 ]{0,15}(?:[.,][0-9]{1,3})?")
_MOST_NUMERATOR, _MOST_DENOMINATOR = 2, 3


def is_value(cell: str) -> bool:
    """Return whether a cell holds a value (a time, an email, a number) rather than a label."""
    return bool(
        looks_like_instant(cell)
        or looks_like_time_of_day(cell)
        or _EMAIL.fullmatch(cell)
        or _NUMBER.fullmatch(cell)
    )


def kind_of(values: list[str]) -> str:
    """Return the kind of value most non-blank cells of a column hold.

    Most, not all: a column of times with one unreadable cell is still the time column, so
    the parser can refuse that cell naming its line rather than the file being unrecognised.
    """
    filled = [value.strip() for value in values if value.strip()]
    if not filled:
        return EMPTY
    for kind, test in _KIND_TESTS:
        if sum(map(test, filled)) * _MOST_DENOMINATOR >= len(filled) * _MOST_NUMERATOR:
            return kind
    return TEXT


_KIND_TESTS = (
    (INSTANT, looks_like_instant),
    (EMAIL, lambda v: _EMAIL.fullmatch(v) is not None),
    (CLOCK, looks_like_time_of_day),
    (NUMBER, lambda v: _NUMBER.fullmatch(v) is not None),
    (LENGTH, lambda v: length_seconds(v) is not None),
    (ACTION, lambda v: labels.action_of(v) is not None),
)


def hinted_kinds(kinds: list[str], hints: list[tuple[str, str] | None]) -> list[str]:
    """Return the kinds, a column labelled as a length or as minutes taken as one when it
    holds times of day (H:MM:SS) or text: its parser then reads each cell, refusing a bad one
    by its line, rather than the column being dropped unseen."""
    labelled = {"length": LENGTH, "minutes": NUMBER}
    return [
        labelled[hint[0]] if hint and hint[0] in labelled and kind in (CLOCK, TEXT) else kind
        for kind, hint in zip(kinds, hints, strict=True)
    ]
