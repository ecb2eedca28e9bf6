"""Right-to-left text for reportlab, simply: Arabic letters joined, right-to-left runs reversed.

reportlab draws characters left to right as given and, without optional libraries, neither
joins Arabic letters nor reorders right-to-left runs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from reportlab.pdfbase import pdfmetrics

from compliance.domain.pdf.fonts import BOLD, REGULAR, register_fonts

_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_POSITIONS = {f"<{form}>": form for form in ("isolated", "final", "initial", "medial")}
_ALEFS = "\u0622\u0623\u0625\u0627"
_LAM = "\u0644"
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


@cache
def _arabic_forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Return the positional forms of Arabic letters and of lam-alef, as the fonts have them."""
    register_fonts()
    covered = set(pdfmetrics.getFont(REGULAR).face.charToGlyph)
    covered &= set(pdfmetrics.getFont(BOLD).face.charToGlyph)
    letters: dict[str, dict[str, str]] = {}
    lam_alefs: dict[str, dict[str, str]] = {}
    for code in range(0xFB50, 0xFEFD):
        kind, *bases = unicodedata.decomposition(chr(code)).split() or [""]
        if code not in covered or kind not in _POSITIONS:
            continue
        base = "".join(chr(int(part, 16)) for part in bases)
        if len(base) == 1:
            letters.setdefault(base, {}).setdefault(_POSITIONS[kind], chr(code))
        elif len(base) == 2 and base[0] == _LAM and base[1] in _ALEFS:
            lam_alefs.setdefault(base[1], {}).setdefault(_POSITIONS[kind], chr(code))
    return letters, lam_alefs


def join_arabic_letters(text: str) -> str:
    """Return text with Arabic letters replaced by their joined (initial, medial, final) forms."""
    if not _RIGHT_TO_LEFT.search(text):
        return text
    letters, lam_alefs = _arabic_forms()
    shaped = []
    i = 0
    while i < len(text):
        forms = letters.get(text[i])
        if forms is None:
            shaped.append(text[i])
            i += 1
            continue
        joins_before = _joins_forward(letters.get(_neighbour(text, i, -1)))
        after = _neighbour(text, i, 1)
        lam_alef = lam_alefs.get(text[i + 1]) if text[i] == _LAM and i + 1 < len(text) else None
        if lam_alef:  # lam followed by alef is always written as one ligature
            shaped.append(lam_alef.get("final" if joins_before else "isolated", text[i : i + 2]))
            i += 2
            continue
        joins_after = _joins_forward(forms) and "final" in letters.get(after, {})
        position = {(True, True): "medial", (True, False): "final", (False, True): "initial"}.get(
            (joins_before, joins_after), "isolated"
        )
        shaped.append(forms.get(position) or forms.get("isolated") or text[i])
        i += 1
    return "".join(shaped)


def _joins_forward(forms: dict[str, str] | None) -> bool:
    """Return whether a letter with these forms connects to the letter after it."""
    return forms is not None and ("initial" in forms or "medial" in forms)


def _neighbour(text: str, index: int, step: int) -> str | None:
    """Return the nearest character before or after `index`, skipping combining marks."""
    index += step
    while 0 <= index < len(text) and unicodedata.category(text[index]) == "Mn":
        index += step
    return text[index] if 0 <= index < len(text) else None


def visual_order(line: str) -> str:
    """Return a line in drawing order, right-to-left runs reversed (a much simplified UAX #9)."""
    if not _RIGHT_TO_LEFT.search(line):
        return line
    directions = [_direction(ch) for ch in line]
    if next((d for d in directions if d), "L") == "L":
        return _reverse_spans(line, directions, "R", mirror_inside=True)
    # A right-to-left paragraph: reverse it all, then put left-to-right runs back in order.
    return _reverse_spans(line[::-1], directions[::-1], "L", mirror_inside=False)


def _direction(ch: str) -> str | None:
    """Return 'R' or 'L' for a strongly directional character, None for a neutral one."""
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    # Numbers are written left to right in either direction.
    return "L" if kind in ("L", "EN", "AN") else None


def _reverse_spans(
    line: str, directions: list[str | None], target: str, mirror_inside: bool
) -> str:
    """Reverse the spans from a `target` character to the last before the other direction."""
    pieces, done = [], 0
    for start, end in _spans(directions, target):
        outside = line[done:start]
        pieces.append(outside if mirror_inside else outside.translate(_MIRRORED))
        inside = line[start:end][::-1]
        pieces.append(inside.translate(_MIRRORED) if mirror_inside else inside)
        done = end
    rest = line[done:]
    pieces.append(rest if mirror_inside else rest.translate(_MIRRORED))
    return "".join(pieces)


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
