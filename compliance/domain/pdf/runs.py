"""Setting one line of text: runs of one font and direction, shaped, in drawing order.

A line is cut where the font changes (each character goes to a font that has it, see
fonts.font_for) or the direction changes. Runs in a font of a script that joins or stacks its
letters (Arabic, Hebrew marks, Devanagari, Thai) are shaped with HarfBuzz through reportlab;
a right-to-left run comes out of the shaper in drawing order. Shaped runs carry their text as
PDF ActualText, so copying or searching the slip finds the name as typed, not glyph codes.

Shaped runs need reportlab's optional HarfBuzz binding, uharfbuzz (a dependency).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeFragWord
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.bidi import MIRRORED, right_to_left_flags
from compliance.domain.pdf.fonts import (
    CJK,
    REGULAR,
    RIGHT_TO_LEFT_FONTS,
    SHAPED_FONTS,
    font_for,
    register_fonts,
)

# The CJK font has no bold weight: bold CJK text is filled and outlined this wide (of its size).
_CJK_BOLD_STROKE = 0.035


@dataclass(frozen=True)
class Piece:
    """One run of a line, ready to draw: its font, what to draw, and its width at 1 pt."""

    font: str
    drawn: str  # a reportlab ShapedStr for shaped runs
    width: float
    actual_text: str | None = None  # the run as typed, where the drawn codes are glyphs


def line_width(line: str, style: str, size: float) -> float:
    """Return the width of a line set in `style` (REGULAR, BOLD, MONO), in points."""
    return sum(piece.width for piece in pieces(line, style)) * size


@lru_cache(maxsize=4096)
def pieces(line: str, style: str) -> tuple[Piece, ...]:
    """Return the line's runs in drawing order, left to right."""
    register_fonts()
    if line.isascii():  # the labels, dates and codes: one run in the style's own font
        return (Piece(style, line, pdfmetrics.stringWidth(line, style, 1)),)
    paragraph_rtl, rtl = right_to_left_flags(line)
    runs = _runs(line, style, rtl)
    ordered = _drawing_order(runs, paragraph_rtl)
    return tuple(_piece(font, text, is_rtl) for font, text, is_rtl in ordered)


def font_runs(text: str, style: str) -> list[tuple[str, str]]:
    """Return (font, text) runs in the order typed: which bundled font sets each stretch."""
    return [(font, run) for font, run, _ in _runs(text, style, [False] * len(text))]


def _runs(line: str, style: str, rtl: list[bool]) -> list[tuple[str, str, bool]]:
    """Return (font, text, right_to_left) runs in logical order."""
    runs: list[tuple[str, str, bool]] = []
    font = None
    for ch, is_rtl in zip(line, rtl, strict=True):
        # An unprintable character is refused when typed; one from before the rule is drawn
        # in the style's font (as a box) rather than lost.
        font = font_for(ch, style, font) or style
        if runs and runs[-1][0] == font and runs[-1][2] == is_rtl:
            runs[-1] = (font, runs[-1][1] + ch, is_rtl)
        else:
            runs.append((font, ch, is_rtl))
    return runs


def _drawing_order(runs: list, paragraph_rtl: bool) -> list:
    """Return the runs left to right: the line reversed for a right-to-left paragraph, then
    each stretch of runs against the paragraph's direction reversed back."""
    ordered = runs[::-1] if paragraph_rtl else list(runs)
    result, stretch = [], []
    for run in ordered:
        if run[2] != paragraph_rtl:
            stretch.append(run)
            continue
        result.extend(stretch[::-1])
        stretch = []
        result.append(run)
    return result + stretch[::-1]


def _piece(font: str, text: str, rtl: bool) -> Piece:
    """Shape or reverse one run as its font and direction need."""
    # A left-to-right run in an Arabic or Hebrew font holds only numbers (Arabic-Indic digits)
    # and punctuation: HarfBuzz would take it for right to left and reverse the number.
    shape = font in SHAPED_FONTS and (rtl or font not in RIGHT_TO_LEFT_FONTS)
    if shape:
        shaped = _shape(text, font)
        data = getattr(shaped, "__shapeData__", None)
        if data is None:  # HarfBuzz changed nothing: plain codes draw it
            return Piece(font, shaped, pdfmetrics.stringWidth(shaped, font, 1))
        # Text extraction reads a page's characters in drawing order and puts right-to-left
        # runs back itself, ActualText included: a right-to-left run's is given reversed.
        typed = text[::-1].translate(MIRRORED) if rtl else text
        return Piece(font, shaped, sum(d.x_advance for d in data) / 1000, typed)
    drawn = text[::-1].translate(MIRRORED) if rtl else text
    return Piece(font, drawn, pdfmetrics.stringWidth(drawn, font, 1))


# Required forms and ligatures only: a discretionary ligature can add marks nobody typed.
_FEATURES = {"kern": True, "liga": True, "dlig": False}


def _shape(text: str, font: str) -> str:
    """Return the run shaped by HarfBuzz (a ShapedStr), or as it was if shaping changed nothing."""
    word = [pdfmetrics.stringWidth(text, font, 1000), (ABag(fontName=font, fontSize=1000), text)]
    return shapeFragWord(word, _FEATURES, force=False)[1][1]


def draw_pieces(
    pdf: Canvas, line: str, style: str, size: float, x: float, y: float, char_space: float = 0
) -> None:
    """Draw a line with its left end at x, baseline at y."""
    for piece in pieces(line, style):
        pdf.setFont(piece.font, size)
        if piece.actual_text is not None:
            typed = piece.actual_text.encode("utf-16-be").hex()
            pdf.addLiteral(f"/Span <</ActualText <FEFF{typed}>>> BDC")
        if piece.font == CJK and style != REGULAR:
            pdf.setLineWidth(size * _CJK_BOLD_STROKE)
            pdf.drawString(x, y, piece.drawn, mode=2, charSpace=char_space)
        else:
            pdf.drawString(x, y, piece.drawn, charSpace=char_space)
        if piece.actual_text is not None:
            pdf.addLiteral("EMC")
        x += piece.width * size + char_space * len(piece.drawn)
