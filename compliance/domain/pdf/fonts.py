"""The bundled DejaVu fonts: registered once per process, their subsets embedded from a cache.

Every document seeds its first subset with the same common characters in a fixed order, so most
documents embed one subset that was built once, and equal text always gets equal codes.
"""

from __future__ import annotations

import threading
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
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono-Bold.ttf",
}
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
    """Register the bundled DejaVu fonts with reportlab, once per process."""
    # A font registered twice by racing threads could swap objects under a render in progress.
    with _font_registration:
        if _FONT_FILES.keys() <= set(pdfmetrics.getRegisteredFontNames()):
            return
        for name, filename in _FONT_FILES.items():
            font = CachedSubsetFont(name, str(FONT_DIR / filename), asciiReadable=1, shapable=False)
            pdfmetrics.registerFont(font)


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
