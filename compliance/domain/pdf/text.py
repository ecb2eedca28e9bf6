"""Text fitted to a box: the largest size at which it fits, wrapped, cut with '…' past the smallest.

Lines come back as typed (logical order); drawing sets each in runs of fonts (pdf.runs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.fonts import BOLD, CAP_HEIGHT, register_fonts
from compliance.domain.pdf.runs import draw_pieces, line_width

LABEL_SIZE = 8
LABEL_GRAY = 0.3
LABEL_SPACING = 0.6  # between a label's letters


@dataclass(frozen=True)
class FittedText:
    """Text broken into lines, as typed, at the size where it fits its box."""

    lines: tuple[str, ...]
    font: str
    size: float

    @property
    def leading(self) -> float:
        return self.size * 1.22

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def text_width(text: str, font: str, size: float) -> float:
    """Return the width of text set in a style (REGULAR, BOLD, MONO), in points."""
    return line_width(text, font, size)


@lru_cache(maxsize=1024)
def fit_text(
    text: str,
    font: str,
    largest: float,
    smallest: float,
    width: float,
    max_lines: int,
    shrink_before_wrapping: float = 0.9,
) -> FittedText:
    """Return text at the largest size that fits `max_lines` lines; past the smallest, cut with '…'.

    Before using one more line, text may shrink to `shrink_before_wrapping` of the largest size.
    """
    register_fonts()
    text = " ".join(text.split())
    if text_width(text, font, largest) <= width:
        return FittedText((text,), font, largest)
    for lines_allowed in range(1, max_lines + 1):
        floor = smallest if lines_allowed == max_lines else largest * shrink_before_wrapping
        size = _largest_fitting_size(
            text, font, largest, max(smallest, floor), width, lines_allowed
        )
        if size is not None:
            lines = wrap_text(text, font, size, width)
            return FittedText(tuple(lines), font, size)
    lines = _cut_to(wrap_text(text, font, smallest, width), max_lines, font, smallest, width)
    return FittedText(tuple(lines), font, smallest)


def _largest_fitting_size(
    text: str, font: str, largest: float, floor: float, width: float, max_lines: int
) -> float | None:
    """Return the largest half-point size, down to `floor`, at which text wraps into `max_lines`."""
    widest_word = max(text_width(word, font, largest) for word in text.split())
    fills_lines = largest * width * max_lines / text_width(text, font, largest)
    estimate = min(fills_lines, largest * width / widest_word)
    size = min(largest, math.floor(estimate * 2) / 2)
    while size >= floor:
        if len(wrap_text(text, font, size, width)) <= max_lines:
            return size
        size -= 0.5
    return None


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width`, splitting words only when one is too long."""
    space = text_width(" ", font, size)
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in text.split():
        for piece in _split_long_word(word, font, size, width):
            piece_width = text_width(piece, font, size)
            if not current:
                current, current_width = piece, piece_width
            elif current_width + space + piece_width <= width:
                current, current_width = f"{current} {piece}", current_width + space + piece_width
            else:
                lines.append(current)
                current, current_width = piece, piece_width
    return [*lines, current] if current else lines or [""]


def _split_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Return the word, or pieces of it where it is wider than a whole line."""
    if text_width(word, font, size) <= width:
        return [word]
    pieces, current, current_width = [], "", 0.0
    for ch in word:
        ch_width = text_width(ch, font, size)
        if current and current_width + ch_width > width:
            pieces.append(current)
            current, current_width = "", 0.0
        current, current_width = current + ch, current_width + ch_width
    return [*pieces, current]


def _cut_to(lines: list[str], max_lines: int, font: str, size: float, width: float) -> list[str]:
    """Return at most `max_lines` lines, the last ending in '…' if anything was left out."""
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and text_width(last + "\u2026", font, size) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + "\u2026"]


def draw_lines(pdf: Canvas, fitted: FittedText, x: float, top: float, centred=False) -> float:
    """Draw fitted text with its first line's capitals starting at `top`; return its bottom."""
    baseline = top - fitted.size * CAP_HEIGHT
    for line in fitted.lines:
        left = x - text_width(line, fitted.font, fitted.size) / 2 if centred else x
        draw_pieces(pdf, line, fitted.font, fitted.size, left, baseline)
        baseline -= fitted.leading
    return top - fitted.height


def draw_lines_right(pdf: Canvas, fitted: FittedText, right: float, top: float) -> None:
    """Draw fitted text with its lines ending at `right`, first line's capitals at `top`."""
    baseline = top - fitted.size * CAP_HEIGHT
    for line in fitted.lines:
        left = right - text_width(line, fitted.font, fitted.size)
        draw_pieces(pdf, line, fitted.font, fitted.size, left, baseline)
        baseline -= fitted.leading


def draw_centred_line(
    pdf: Canvas, line: str, font: str, size: float, centre: float, y: float, char_space=0.0
) -> None:
    """Draw one line centred on `centre`, baseline at y, letters `char_space` apart."""
    width = text_width(line, font, size) + char_space * max(len(line) - 1, 0)
    draw_pieces(pdf, line, font, size, centre - width / 2, y, char_space)


def draw_label(pdf: Canvas, text: str, x: float, top: float) -> None:
    """Draw a small grey capitalised label with its capitals starting at `top`."""
    pdf.setFillGray(LABEL_GRAY)
    draw_pieces(
        pdf, text.upper(), BOLD, LABEL_SIZE, x, top - LABEL_SIZE * CAP_HEIGHT, LABEL_SPACING
    )
    pdf.setFillGray(0)


def label_width(text: str) -> float:
    """Return how wide draw_label sets text, up to the right edge of its last letter."""
    upper = text.upper()
    return text_width(upper, BOLD, LABEL_SIZE) + LABEL_SPACING * (len(upper) - 1)
