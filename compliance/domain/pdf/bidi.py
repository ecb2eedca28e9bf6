"""Which characters of a line run right to left: a much simplified UAX #9, enough for names.

The paragraph takes the direction of its first strong character. In a left-to-right paragraph,
a right-to-left span runs from a right-to-left letter to the last one before a left-to-right
letter or a number (the neutral characters between them go with it); in a right-to-left
paragraph, the other way about. Numbers always read left to right.
"""

from __future__ import annotations

import unicodedata

MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def right_to_left_flags(line: str) -> tuple[bool, list[bool]]:
    """Return whether the paragraph is right to left, and for each character whether it is."""
    directions = [_direction(ch) for ch in line]
    paragraph_rtl = next((d for d in directions if d), "L") == "R"
    inside = [False] * len(line)
    for start, end in _spans(directions, "L" if paragraph_rtl else "R"):
        inside[start:end] = [True] * (end - start)
    return paragraph_rtl, [flag != paragraph_rtl for flag in inside]


def _direction(ch: str) -> str | None:
    """Return 'R' or 'L' for a strongly directional character, None for a neutral one."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    # Numbers are written left to right in either direction.
    return "L" if kind in ("L", "EN", "AN") else None


def _spans(directions: list[str | None], target: str) -> list[tuple[int, int]]:
    """Return [start, end) spans from a `target` character to the last before the other one."""
    spans: list[tuple[int, int]] = []
    start = last = None
    for i, direction in enumerate(directions):
        if direction == target:
            start = i if start is None else start
            last = i
        elif direction is not None and start is not None:
            spans.append((start, last + 1))
            start = None
    if start is not None:
        spans.append((start, last + 1))
    return spans
