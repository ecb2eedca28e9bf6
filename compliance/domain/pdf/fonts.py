"""The bundled fonts: registered once per process, their subsets embedded from a cache.

DejaVu Sans sets Latin, Greek and Cyrillic; Noto Sans sets Arabic, Hebrew, Devanagari and Thai
(shaped with HarfBuzz); Droid Sans Fallback sets Chinese, Japanese and Korean. Each character
goes to the font of its script, else the first that has it; a character none has cannot be
printed and is refused when it is typed (printable_everywhere).

Every document seeds its first subset with the same common characters in a fixed order, so most
documents embed one subset that was built once, and equal text always gets equal codes.
"""

from __future__ import annotations

import bisect
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.document import flate_stream

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
REGULAR = "SlipSans"
BOLD = "SlipSans-Bold"
MONO = "SlipSansMono-Bold"
ARABIC, ARABIC_BOLD = "SlipArabic", "SlipArabic-Bold"
HEBREW, HEBREW_BOLD = "SlipHebrew", "SlipHebrew-Bold"
DEVANAGARI, DEVANAGARI_BOLD = "SlipDevanagari", "SlipDevanagari-Bold"
THAI, THAI_BOLD = "SlipThai", "SlipThai-Bold"
CJK = "SlipCJK"  # Droid Sans Fallback has no bold: bold CJK is set in the regular weight
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
    DEVANAGARI_BOLD: "NotoSansDevanagari-Bold.ttf",
    THAI: "NotoSansThai-Regular.ttf",
    THAI_BOLD: "NotoSansThai-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}
# Fonts whose scripts join, reorder or stack letters: their runs are shaped with HarfBuzz.
SHAPED_FONTS = frozenset(
    {ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD, DEVANAGARI, DEVANAGARI_BOLD, THAI, THAI_BOLD}
)
# Fonts of right-to-left scripts: HarfBuzz takes a run in them for right to left.
RIGHT_TO_LEFT_FONTS = frozenset({ARABIC, ARABIC_BOLD, HEBREW, HEBREW_BOLD})
_BOLD_OF = {
    REGULAR: BOLD, ARABIC: ARABIC_BOLD, HEBREW: HEBREW_BOLD,
    DEVANAGARI: DEVANAGARI_BOLD, THAI: THAI_BOLD,
}
# Unicode blocks set in their script's font even where DejaVu has glyphs (first, last, font).
_SCRIPT_BLOCKS = sorted(
    [
        (0x0590, 0x05FF, HEBREW),
        (0x0600, 0x06FF, ARABIC),
        (0x0750, 0x077F, ARABIC),
        (0x08A0, 0x08FF, ARABIC),
        (0x0900, 0x097F, DEVANAGARI),
        (0x0E00, 0x0E7F, THAI),
        (0x1CD0, 0x1CFF, DEVANAGARI),
        (0xA8E0, 0xA8FF, DEVANAGARI),
        (0xFB1D, 0xFB4F, HEBREW),
        (0xFB50, 0xFDFF, ARABIC),
        (0xFE70, 0xFEFF, ARABIC),
    ]
)
_BLOCK_STARTS = [first for first, _, _ in _SCRIPT_BLOCKS]
_FALLBACK_ORDER = (CJK, ARABIC, HEBREW, DEVANAGARI, THAI)
CAP_HEIGHT = 0.73  # DejaVu Sans capitals, as a fraction of the font size


@dataclass(frozen=True)
class _EmbeddedSubset:
    """The parts of one font subset that are the same in every document that embeds it."""

    base_font_name: str
    widths: bytes
    to_unicode: bytes
    font_file: bytes
    font_file_length: int


class CachedSubsetFont(TTFont):
    """A TrueType font that embeds its subsets from a cache: building them was most of a render."""

    def addObjects(self, doc):  # noqa: N802 - reportlab's name
        """Add this font's subsets used in `doc` to it, as reportlab's TTFont does."""
        state = self._assignState(doc)
        state.frozen = 1
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            embedded = _embedded_subset(self, number, tuple(subset))
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal_name
            font.BaseFont = embedded.base_font_name
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = embedded.widths
            font.ToUnicode = doc.Reference(
                flate_stream(embedded.to_unicode), "toUnicodeCMap:" + embedded.base_font_name
            )
            font.FontDescriptor = self._add_descriptor(doc, embedded)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]

    def _add_descriptor(self, doc, embedded: _EmbeddedSubset):
        """Add the font file and its descriptor to `doc`; return a reference to the descriptor."""
        face = self.face
        font_file = flate_stream(embedded.font_file)
        font_file.dictionary["Length1"] = embedded.font_file_length
        name = embedded.base_font_name
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(name),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": doc.Reference(font_file, f"fontFile:{face.filename}({name})"),
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + name)


@lru_cache(maxsize=64)
def _embedded_subset(font: TTFont, number: int, subset: tuple[int, ...]) -> _EmbeddedSubset:
    """Build the PDF parts for one subset of a font, compressed, once."""
    face = font.face
    name = b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
    widths = fp_str(*(face.getCharWidth(code) for code in subset))
    font_file = face.makeSubset(list(subset))
    return _EmbeddedSubset(
        base_font_name=name,
        widths=f"[{widths}]".encode("ascii"),
        to_unicode=zlib.compress(makeToUnicodeCMap(name, list(subset)).encode("utf-8")),
        font_file=zlib.compress(font_file),
        font_file_length=len(font_file),
    )


_font_registration = threading.Lock()


def register_fonts() -> None:
    """Register the bundled fonts with reportlab, once per process."""
    if _COVERAGE.keys() == _FONT_FILES.keys():  # the last step below: all are registered
        return
    # A font registered twice by racing threads could swap objects under a render in progress.
    with _font_registration:
        if _FONT_FILES.keys() <= set(pdfmetrics.getRegisteredFontNames()):
            return
        coverage = {}
        for name, filename in _FONT_FILES.items():
            shaped = name in SHAPED_FONTS
            path = str(FONT_DIR / filename)
            font = CachedSubsetFont(name, path, asciiReadable=1, shapable=shaped)
            coverage[name] = frozenset(font.face.charToGlyph)
            if shaped:
                _code_every_glyph(font)
            pdfmetrics.registerFont(font)
        _COVERAGE.update(coverage)


_COVERAGE: dict[str, frozenset[int]] = {}


def _code_every_glyph(font: TTFont) -> None:
    """Give every glyph without a character (ligatures, joined forms) a private-use code, in
    glyph order, before anything is shaped.

    reportlab's shaping hands such glyphs private codes as it first meets them, so a file's
    bytes would depend on what the process rendered before; numbered up front, they do not.
    """
    face = font.face
    hb_font = font.hbFont()
    for glyph in range(face.numGlyphs):
        if glyph not in face.glyphToChar:
            metrics = face.hmetrics[min(glyph, len(face.hmetrics) - 1)]
            advance = face._pdfScale(metrics[0] if isinstance(metrics, tuple) else metrics)
            font.hbAddPrivate(hb_font.glyph_to_string(glyph), glyph, advance)


def covers(font: str, ch: str) -> bool:
    """Return whether a bundled font has a glyph for the character (its own, not private)."""
    register_fonts()
    return ord(ch) in _COVERAGE[font]


def bold_of(font: str) -> str:
    """Return the bold face of a bundled font (itself where there is none)."""
    return _BOLD_OF.get(font, font)


def _script_font(ch: str) -> str | None:
    """Return the font of the character's script where that is not DejaVu's, else None."""
    code = ord(ch)
    at = bisect.bisect_right(_BLOCK_STARTS, code) - 1
    if at >= 0 and code <= _SCRIPT_BLOCKS[at][1]:
        return _SCRIPT_BLOCKS[at][2]
    return None


def _follows_its_base(ch: str) -> bool:
    """Return whether the character is set in the font of the one before it (marks, joiners)."""
    return unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf")


def _is_neutral(ch: str) -> bool:
    """Return whether the character (space, punctuation) may join the run it falls in."""
    return unicodedata.bidirectional(ch) in ("WS", "ON", "CS", "ES", "ET", "BN", "S")


def font_for(ch: str, style: str, previous: str | None = None) -> str | None:
    """Return the bundled font to set a character in, for text in `style` (REGULAR, BOLD or
    MONO); `previous` is the font of the character before it. None when no font has it."""
    register_fonts()
    code = ord(ch)
    joins_previous = previous is not None and (_follows_its_base(ch) or _is_neutral(ch))
    if joins_previous and code in _COVERAGE[previous]:
        return previous
    script = _script_font(ch)
    if script is not None and code in _COVERAGE[script]:
        return bold_of(script) if style != REGULAR else script
    if code in _COVERAGE[style]:
        return style
    for fallback in _FALLBACK_ORDER:
        if code in _COVERAGE[fallback]:
            return bold_of(fallback) if style != REGULAR else fallback
    return None


# Emoji and pictographs (with their skin tones and the emoji presentation selector): no colour
# emoji font is bundled, and DejaVu's few black-and-white ones would not print what was typed.
_PICTOGRAPHS = range(0x1F000, 0x1FB00)
_EMOJI_PRESENTATION = "\ufe0f"


def unprintable_character(text: str) -> str | None:
    """Return the first character of `text` that no bundled font can print, or None."""
    if text.isascii() and text.isprintable():  # DejaVu Sans has all of printable ASCII
        return None
    printable = _printable_codes()
    for ch in text:
        if ch.isspace() or ch in "\u200c\u200d":  # joiners shape their neighbours, not drawn
            continue
        code = ord(ch)
        if code in _PICTOGRAPHS or ch == _EMOJI_PRESENTATION or code not in printable:
            return ch
    return None


@cache
def _printable_codes() -> frozenset[int]:
    """Every character `font_for` finds a font for in regular text: the regular face's and the
    fallbacks' (which include every script font). Checked once per name, not per glyph."""
    register_fonts()
    return frozenset().union(*(_COVERAGE[font] for font in (REGULAR, *_FALLBACK_ORDER)))


@cache
def first_subset_characters(printed: str) -> str:
    """Return the characters that fill a first font subset, in a fixed order: `printed` first."""
    covered = pdfmetrics.getFont(REGULAR).face.charToGlyph
    wanted = (
        printed
        + "\u2018\u2019\u201c\u201d\u2026\u2022\u00b7\u20ac"
        + "".join(map(chr, range(0xA1, 0x100)))
        + "".join(map(chr, range(0x100, 0x250)))
    )
    usable = [ch for ch in dict.fromkeys(wanted) if ord(ch) in covered and ch != "\u00ad"]
    # 159 codes are free in a first subset once ASCII has its own codes.
    return "".join(usable[:159])


def seed_font_subsets(pdf: Canvas, printed: str) -> None:
    """Give `printed` and other common characters fixed codes first, before any text is drawn."""
    for name in (REGULAR, BOLD):
        pdfmetrics.getFont(name).splitString(first_subset_characters(printed), pdf._doc)
