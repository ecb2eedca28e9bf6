"""The printable slip: one US Letter page, byte-identical for the same slip and verify URL.

The service re-renders a slip to compare it with an uploaded file, so nothing here may depend
on the clock, randomness, the process locale or environment, or on earlier renders.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path
from urllib.parse import urlsplit

import qrcode
from qrcode import base as qr_base
from qrcode import util as qr_util
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import letter
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.slip import Slip, format_code
from compliance.domain.slip_labels import (
    SlipLabels,
    format_issued_at,
    format_long_date,
    format_time_range,
    labels_for,
    printed_characters,
)

QR_MAX_VERSION = 22
QR_MASK_PATTERN = 2
QR_QUIET_ZONE = 4
QR_PRINTED_SIZE = 2.5 * inch
MAX_EMBEDDED_URL_LENGTH = 8192

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR = "SlipSans"
BOLD = "SlipSans-Bold"
MONO = "SlipSansMono-Bold"
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono-Bold.ttf",
}

AUTHOR = "Attendance verification service"

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.75 * inch
FRAME_INSET = 0.5 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LABEL_WIDTH = 1.55 * inch
VALUE_WIDTH = CONTENT_WIDTH - LABEL_WIDTH
LABEL_SIZE = 8
CAP_HEIGHT = 0.73  # DejaVu Sans capitals, as a fraction of the font size
LABEL_GRAY = 0.3
RULE_GRAY = 0.55

# The verification box: QR code on the left, code and instructions right of it.
_BOX_PADDING = 14
VERIFICATION_BOX_BOTTOM = MARGIN + 44
VERIFICATION_BOX_TOP = VERIFICATION_BOX_BOTTOM + QR_PRINTED_SIZE + 2 * _BOX_PADDING
# The QR code's own quiet zone is white space enough next to the box's edge.
_QR_LEFT = MARGIN + _BOX_PADDING - 6
VERIFICATION_TEXT_LEFT = _QR_LEFT + QR_PRINTED_SIZE + 6


# --- QR code -------------------------------------------------------------------------------
# qrcode draws the function patterns and supplies the tables and the mask; the codewords and
# their placement are computed here because qrcode's own pure-Python pipeline costs several
# milliseconds per slip. tests/domain/test_slip_pdf.py checks the result against qrcode's.

_BYTE_MODE = 0b0100
_PAD_CODEWORDS = b"\xec\x11"
_BITS_AS_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_DARK_RUN = re.compile(b"\x01+")


def _count_bits(version: int) -> int:
    """Return the width of the byte-mode length field, which grows at version 10."""
    return 8 if version < 10 else 16


def qr_version_for(text: str) -> int | None:
    """Return the smallest QR version (error correction M) holding the text, or None past 22."""
    limits = qr_util.BIT_LIMIT_TABLE[ERROR_CORRECT_M]
    size = len(text.encode("utf-8"))
    for version in range(1, QR_MAX_VERSION + 1):
        if 4 + _count_bits(version) + 8 * size <= limits[version]:
            return version
    return None


def qr_fits(text: str) -> bool:
    """Return whether the text fits a slip's QR code (version 22 or smaller, correction M)."""
    return qr_version_for(text) is not None


def qr_rows(text: str) -> list[bytes]:
    """Return the QR rows, one byte per module (1 = dark), no quiet zone; ValueError if too long."""
    version = qr_version_for(text)
    if version is None:
        raise ValueError(f"the text does not fit a version-{QR_MAX_VERSION} QR code")
    layout = _layout(version)
    codewords = _codewords(text.encode("utf-8"), version)
    bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b")
    data_bits = bits.encode("ascii").translate(_BITS_AS_BYTES) + bytes(layout.spare_bits)
    placed = int.from_bytes(bytes(layout.gather(data_bits)), "big")
    modules = (placed ^ layout.blank).to_bytes(layout.size * layout.size, "big")
    return [modules[row : row + layout.size] for row in range(0, len(modules), layout.size)]


def qr_matrix(text: str) -> list[list[bool]]:
    """Return the QR modules for the text, dark as True, without quiet zone."""
    return [[bool(module) for module in row] for row in qr_rows(text)]


@dataclass(frozen=True)
class _Layout:
    """Where one version's data bits go, and the symbol when every data bit is 0."""

    size: int
    gather: Callable[[bytes], tuple[int, ...]]
    spare_bits: int
    blank: int


@cache
def _layout(version: int) -> _Layout:
    """Work out, once per version, where data bits go and what the empty symbol looks like."""
    modules = _function_patterns(version)
    size = len(modules)
    order = _placement_order(modules)
    is_masked = qr_util.mask_func(QR_MASK_PATTERN)
    data_bit_at = {row * size + col: bit for bit, (row, col) in enumerate(order)}
    always_light = len(order)  # the index of a 0 appended after the data bits
    sources = [data_bit_at.get(index, always_light) for index in range(size * size)]
    blank = bytes(
        bool(is_masked(row, col)) if modules[row][col] is None else bool(modules[row][col])
        for row in range(size)
        for col in range(size)
    )
    blocks = qr_base.rs_blocks(version, ERROR_CORRECT_M)
    capacity_bits = 8 * sum(block.total_count for block in blocks)
    return _Layout(
        size=size,
        gather=itemgetter(*sources),
        spare_bits=len(order) - capacity_bits + 1,
        blank=int.from_bytes(blank, "big"),
    )


def _function_patterns(version: int) -> list[list[bool | None]]:
    """Return the symbol with only its function patterns set; None where data goes."""
    symbol = qrcode.QRCode(
        version=version, error_correction=ERROR_CORRECT_M, mask_pattern=QR_MASK_PATTERN, border=0
    )
    size = symbol.modules_count = version * 4 + 17
    symbol.modules = [[None] * size for _ in range(size)]
    symbol.setup_position_probe_pattern(0, 0)
    symbol.setup_position_probe_pattern(size - 7, 0)
    symbol.setup_position_probe_pattern(0, size - 7)
    symbol.setup_position_adjust_pattern()
    symbol.setup_timing_pattern()
    symbol.setup_type_info(False, QR_MASK_PATTERN)
    if version >= 7:
        symbol.setup_type_number(False)
    return symbol.modules


def _placement_order(modules: list[list[bool | None]]) -> list[tuple[int, int]]:
    """Return the free modules in the order data bits fill them: up and down two-column strips."""
    size = len(modules)
    order = []
    upward = True
    col = size - 1
    while col > 0:
        if col == 6:  # the vertical timing pattern has a column to itself
            col -= 1
        rows = range(size - 1, -1, -1) if upward else range(size)
        order.extend((row, c) for row in rows for c in (col, col - 1) if modules[row][c] is None)
        upward = not upward
        col -= 2
    return order


def _codewords(data: bytes, version: int) -> bytes:
    """Return the interleaved data and error-correction codewords for byte-mode data."""
    blocks = qr_base.rs_blocks(version, ERROR_CORRECT_M)
    stream = _data_stream(data, version, sum(block.data_count for block in blocks))
    data_blocks, ecc_blocks, offset = [], [], 0
    for block in blocks:
        chunk = stream[offset : offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ecc_blocks.append(_error_correction(chunk, block.total_count - block.data_count))
    return _interleave(data_blocks) + _interleave(ecc_blocks)


def _data_stream(data: bytes, version: int, capacity: int) -> bytes:
    """Return mode, length, data, terminator and padding as `capacity` codewords."""
    count_bits = _count_bits(version)
    bits = ((_BYTE_MODE << count_bits | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity * 8 - length)
    padding = terminator + (-(length + terminator) % 8)
    body = (bits << padding).to_bytes((length + padding) // 8, "big")
    fill = capacity - len(body)
    return body + (_PAD_CODEWORDS * (fill // 2 + 1))[:fill]


def _interleave(blocks: Sequence[bytes]) -> bytes:
    """Return the blocks' bytes taken column by column, as QR symbols store them."""
    longest = max(len(block) for block in blocks)
    return bytes(block[i] for i in range(longest) for block in blocks if i < len(block))


def _error_correction(block: bytes, length: int) -> bytes:
    """Return the Reed-Solomon remainder of a block, the register held as one integer."""
    rows = _generator_rows(length)
    shift, mask = 8 * (length - 1), (1 << 8 * length) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & mask) ^ rows[(remainder >> shift) ^ byte]
    return remainder.to_bytes(length, "big")


@cache
def _generator_rows(length: int) -> tuple[int, ...]:
    """Return, for each feedback byte, the generator's tail multiplied by it, as an integer."""
    generator = [1]
    for power in range(length):
        generator = _poly_multiply(generator, [1, qr_base.gexp(power)])
    return tuple(
        int.from_bytes(bytes(_gf_multiply(factor, c) for c in generator[1:]), "big")
        for factor in range(256)
    )


def _gf_multiply(a: int, b: int) -> int:
    """Multiply in GF(256), the field of the QR code's Reed-Solomon code."""
    if a == 0 or b == 0:
        return 0
    return qr_base.gexp(qr_base.glog(a) + qr_base.glog(b))


def _poly_multiply(p: list[int], q: list[int]) -> list[int]:
    """Multiply two polynomials over GF(256), highest power first."""
    product = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            product[i + j] ^= _gf_multiply(a, b)
    return product


def _qr_path_operators(rows: list[bytes]) -> str:
    """Return PDF operators filling the dark modules as one path of horizontal runs.

    One unit is one module; the caller scales.
    """
    size = len(rows)
    runs = [
        f"{run.start()} {size - 1 - y} {run.end() - run.start()} 1 re"
        for y, row in enumerate(rows)
        for run in _DARK_RUN.finditer(row)
    ]
    return "\n".join(runs) + "\nf"


# --- Fonts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _EmbeddedSubset:
    """The parts of one font subset that are the same in every document that embeds it."""

    base_font_name: str
    widths: bytes
    to_unicode: bytes
    font_file: bytes
    font_file_length: int


class _SlipFont(TTFont):
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
                _flate_stream(embedded.to_unicode), "toUnicodeCMap:" + embedded.base_font_name
            )
            font.FontDescriptor = self._add_descriptor(doc, embedded)
            doc.Reference(font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = font
        del self.state[doc]

    def _add_descriptor(self, doc, embedded: _EmbeddedSubset):
        """Add the font file and its descriptor to `doc`; return a reference to the descriptor."""
        face = self.face
        font_file = _flate_stream(embedded.font_file)
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


def _flate_stream(compressed: bytes) -> pdfdoc.PDFStream:
    """Return a stream object for content that is already Flate-compressed."""
    stream = pdfdoc.PDFStream(content=compressed)
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    return stream


_font_registration = threading.Lock()


def register_fonts() -> None:
    """Register the bundled DejaVu fonts with reportlab, once per process."""
    # A font registered twice by racing threads could swap objects under a render in progress.
    with _font_registration:
        if _FONT_FILES.keys() <= set(pdfmetrics.getRegisteredFontNames()):
            return
        for name, filename in _FONT_FILES.items():
            font = _SlipFont(name, str(FONT_DIR / filename), asciiReadable=1, shapable=False)
            pdfmetrics.registerFont(font)


@cache
def _first_subset_characters() -> str:
    """Return the characters that fill every slip's first font subset, in a fixed order."""
    covered = pdfmetrics.getFont(REGULAR).face.charToGlyph
    wanted = (
        printed_characters()
        + "\u2018\u2019\u201c\u201d\u2026\u2022\u00b7\u20ac"
        + "".join(map(chr, range(0xA1, 0x100)))
        + "".join(map(chr, range(0x100, 0x250)))
    )
    usable = [ch for ch in dict.fromkeys(wanted) if ord(ch) in covered and ch != "\u00ad"]
    # 159 codes are free in a first subset once ASCII has its own codes.
    return "".join(usable[:159])


def _seed_font_subsets(pdf: Canvas) -> None:
    """Give common characters fixed codes first, so most slips embed the same cached subset."""
    for name in (REGULAR, BOLD):
        pdfmetrics.getFont(name).splitString(_first_subset_characters(), pdf._doc)


# --- Right-to-left text --------------------------------------------------------------------
# reportlab draws characters left to right as given and, without optional libraries, neither
# joins Arabic letters nor reorders right-to-left runs; both are done here, simply.

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


# --- Text layout ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FittedText:
    """Text broken into lines, in drawing order, at the size where it fits its box."""

    lines: tuple[str, ...]
    font: str
    size: float

    @property
    def leading(self) -> float:
        return self.size * 1.22

    @property
    def height(self) -> float:
        return self.leading * len(self.lines)


def _width(text: str, font: str, size: float) -> float:
    """Return the width of text set in a registered font, in points."""
    return pdfmetrics.stringWidth(text, font, size)


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
    text = " ".join(join_arabic_letters(text).split())
    if _width(text, font, largest) <= width:
        return FittedText((visual_order(text),), font, largest)
    for lines_allowed in range(1, max_lines + 1):
        floor = smallest if lines_allowed == max_lines else largest * shrink_before_wrapping
        size = _largest_fitting_size(
            text, font, largest, max(smallest, floor), width, lines_allowed
        )
        if size is not None:
            lines = wrap_text(text, font, size, width)
            return FittedText(tuple(map(visual_order, lines)), font, size)
    lines = _cut_to(wrap_text(text, font, smallest, width), max_lines, font, smallest, width)
    return FittedText(tuple(map(visual_order, lines)), font, smallest)


def _largest_fitting_size(
    text: str, font: str, largest: float, floor: float, width: float, max_lines: int
) -> float | None:
    """Return the largest half-point size, down to `floor`, at which text wraps into `max_lines`."""
    widest_word = max(_width(word, font, largest) for word in text.split())
    fills_lines = largest * width * max_lines / _width(text, font, largest)
    estimate = min(fills_lines, largest * width / widest_word)
    size = min(largest, math.floor(estimate * 2) / 2)
    while size >= floor:
        if len(wrap_text(text, font, size, width)) <= max_lines:
            return size
        size -= 0.5
    return None


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width`, splitting words only when one is too long."""
    space = _width(" ", font, size)
    lines: list[str] = []
    current, current_width = "", 0.0
    for word in text.split():
        for piece in _split_long_word(word, font, size, width):
            piece_width = _width(piece, font, size)
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
    if _width(word, font, size) <= width:
        return [word]
    pieces, current, current_width = [], "", 0.0
    for ch in word:
        ch_width = _width(ch, font, size)
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
    while last and _width(last + "\u2026", font, size) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + "\u2026"]


def _draw_lines(pdf: Canvas, fitted: FittedText, x: float, top: float, centred=False) -> float:
    """Draw fitted text with its first line's capitals starting at `top`; return its bottom."""
    pdf.setFont(fitted.font, fitted.size)
    baseline = top - fitted.size * CAP_HEIGHT
    for line in fitted.lines:
        if centred:
            pdf.drawCentredString(x, baseline, line)
        else:
            pdf.drawString(x, baseline, line)
        baseline -= fitted.leading
    return top - fitted.height


def _draw_label(pdf: Canvas, text: str, x: float, top: float) -> None:
    """Draw a small grey capitalised label with its capitals starting at `top`."""
    pdf.setFillGray(LABEL_GRAY)
    pdf.setFont(BOLD, LABEL_SIZE)
    pdf.drawString(x, top - LABEL_SIZE * CAP_HEIGHT, text.upper(), charSpace=0.6)
    pdf.setFillGray(0)


# --- The page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detail:
    """One row of the details table, before fitting."""

    label: str
    value: str
    font: str = REGULAR
    max_lines: int = 1


@dataclass(frozen=True)
class _Density:
    """How large the body may be set; smaller steps are tried until it fits above the QR box."""

    name_size: float
    value_size: float
    row_padding: float


_DENSITIES = (
    _Density(name_size=28, value_size=11.5, row_padding=7),
    _Density(name_size=24, value_size=10.5, row_padding=5),
    _Density(name_size=20, value_size=9.5, row_padding=4),
    _Density(name_size=16, value_size=8.5, row_padding=3),
)


_NAME_GAP = 8  # above and below the name
_TABLE_GAP = 14  # between "attended the following meeting" and the table


@dataclass(frozen=True)
class _Body:
    """The attendee's name and the details table, fitted."""

    certifies: FittedText
    name: FittedText
    attended: FittedText
    rows: list[tuple[str, FittedText]]
    row_padding: float

    @property
    def height(self) -> float:
        rows = sum(value.height + 2 * self.row_padding for _, value in self.rows)
        lines = self.certifies.height + self.name.height + self.attended.height
        return lines + 2 * _NAME_GAP + _TABLE_GAP + rows


def _details(slip: Slip, labels: SlipLabels) -> list[_Detail]:
    """Return the rows of the details table for a slip."""
    start, end = slip.local_start, slip.local_end
    return [
        _Detail(labels.meeting, slip.meeting, BOLD, max_lines=3),
        _Detail(labels.program, slip.program, max_lines=2),
        _Detail(labels.date, format_long_date(start, labels)),
        _Detail(labels.time, format_time_range(start, end, slip.timezone, labels), max_lines=2),
        _Detail(
            labels.attendance,
            labels.attendance_value.format(
                present=slip.present_minutes, scheduled=slip.scheduled_minutes
            ),
        ),
        _Detail(
            labels.facilitator,
            labels.facilitator_value.format(name=slip.facilitator, id=slip.facilitator_id),
            max_lines=2,
        ),
        _Detail(labels.issued, format_issued_at(slip.issued_at, labels)),
    ]


def _fit_body(slip: Slip, labels: SlipLabels, height: float) -> _Body:
    """Return the body at the largest density that fits in `height` (the smallest always does)."""
    details = _details(slip, labels)
    for density in _DENSITIES:
        body = _Body(
            certifies=fit_text(labels.certifies, REGULAR, 11, 8, CONTENT_WIDTH, 1),
            name=fit_text(slip.name, BOLD, density.name_size, 12, CONTENT_WIDTH, 3, 0.7),
            attended=fit_text(labels.attended, REGULAR, 11, 8, CONTENT_WIDTH, 1),
            rows=[(detail.label, _fit_value(detail, density)) for detail in details],
            row_padding=density.row_padding,
        )
        if body.height <= height:
            break
    return body


def _fit_value(detail: _Detail, density: _Density) -> FittedText:
    """Return a detail's value fitted to the value column at a density."""
    return fit_text(
        detail.value, detail.font, density.value_size, 7.5, VALUE_WIDTH, detail.max_lines
    )


def verification_page_url(verify_url: str) -> str:
    """Return the page where an officer can type a code, next to the slip's /v/ link."""
    base, separator, _ = verify_url.rpartition("/v/")
    if not separator:
        parts = urlsplit(verify_url)
        base = f"{parts.scheme}://{parts.netloc}"
    return base + "/verify"


def render_slip(slip: Slip, verify_url: str) -> bytes:
    """Return the slip as a one-page PDF; ValueError if the URL does not fit the QR code."""
    qr = qr_rows(verify_url)
    labels = labels_for(slip.language)
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, slip, verify_url, labels)
    _draw_frame(pdf)
    body_top = _draw_header(pdf, labels) - 20
    body = _fit_body(slip, labels, body_top - (VERIFICATION_BOX_TOP + 16))
    _draw_body(pdf, body, body_top)
    _draw_verification(pdf, slip, verify_url, qr, labels)
    _draw_footer(pdf, labels)
    pdf.showPage()
    _compress_page(pdf)
    pdf.save()
    return buffer.getvalue()


def _new_canvas(buffer: io.BytesIO, slip: Slip, verify_url: str, labels: SlipLabels) -> Canvas:
    """Return a canvas with fixed metadata, dates, file ID and font subsets for the slip."""
    register_fonts()
    pdf = Canvas(buffer, pagesize=letter, invariant=1, pageCompression=1, lang=labels.language)
    pdf.setTitle(f"{labels.document_title}: {slip.name}")
    pdf.setAuthor(AUTHOR)
    pdf.setCreator(AUTHOR)
    pdf.setProducer(AUTHOR)
    pdf.setSubject(verify_url)
    pdf.setKeywords(f"{labels.document_title}; {format_code(slip.code)}")
    issued = slip.issued_at.astimezone(UTC)
    pdf.setDateFormatter(lambda *_: f"D:{issued:%Y%m%d%H%M%S}+00'00'")
    _pin_document_id(pdf, verify_url)
    _seed_font_subsets(pdf)
    return pdf


def _pin_document_id(pdf: Canvas, verify_url: str) -> None:
    """Derive the file ID from the signed URL; reportlab's own still mixes in SOURCE_DATE_EPOCH."""
    digest = hashlib.sha256(verify_url.encode("utf-8")).hexdigest()[:32].upper()
    pdf._doc._ID = f"\n[<{digest}><{digest}>]\n".encode("ascii")


def _compress_page(pdf: Canvas) -> None:
    """Flate-compress the finished page ourselves.

    reportlab would also ASCII85-encode it, slowly, whenever the process-wide rl_config.useA85
    is set, and a process-wide switch must not change a slip's bytes.
    """
    page = pdf._doc.Pages.pages[-1]
    # Level 1: the QR runs compress ~9x faster than at the default for ~2 KB more.
    page.Contents = _flate_stream(zlib.compress(page.stream.encode("utf-8"), 1))


def _draw_frame(pdf: Canvas) -> None:
    """Draw the double border around the page."""
    pdf.setLineWidth(1.2)
    pdf.rect(FRAME_INSET, FRAME_INSET, PAGE_WIDTH - 2 * FRAME_INSET, PAGE_HEIGHT - 2 * FRAME_INSET)
    pdf.setLineWidth(0.4)
    inner = FRAME_INSET + 3
    pdf.rect(inner, inner, PAGE_WIDTH - 2 * inner, PAGE_HEIGHT - 2 * inner)


def _draw_header(pdf: Canvas, labels: SlipLabels) -> float:
    """Draw title, subtitle and a double rule; return the y below them."""
    centre = PAGE_WIDTH / 2
    top = PAGE_HEIGHT - MARGIN
    title = fit_text(labels.document_title.upper(), BOLD, 22, 14, CONTENT_WIDTH, 1)
    pdf.setFont(BOLD, title.size)
    pdf.drawCentredString(centre, top - title.size * CAP_HEIGHT, title.lines[0], charSpace=1.5)
    top -= title.size + 8
    pdf.setFillGray(LABEL_GRAY)
    pdf.setFont(REGULAR, 10.5)
    pdf.drawCentredString(centre, top - 8, labels.subtitle)
    pdf.setFillGray(0)
    top -= 24
    _draw_rule(pdf, top, 1.5)
    _draw_rule(pdf, top - 3, 0.5)
    return top - 3


def _draw_rule(pdf: Canvas, y: float, width: float, gray: float = 0) -> None:
    """Draw a horizontal line across the content width."""
    pdf.setStrokeGray(gray)
    pdf.setLineWidth(width)
    pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    pdf.setStrokeGray(0)


def _draw_body(pdf: Canvas, body: _Body, top: float) -> None:
    """Draw 'This is to certify that', the name large, 'attended…' and the details table."""
    pdf.setFillGray(LABEL_GRAY)
    top = _draw_lines(pdf, body.certifies, MARGIN, top) - _NAME_GAP
    pdf.setFillGray(0)
    top = _draw_lines(pdf, body.name, MARGIN, top) - _NAME_GAP
    pdf.setFillGray(LABEL_GRAY)
    top = _draw_lines(pdf, body.attended, MARGIN, top) - _TABLE_GAP
    pdf.setFillGray(0)
    _draw_rule(pdf, top, 0.4, RULE_GRAY)
    for label, value in body.rows:
        top -= body.row_padding
        _draw_label(pdf, label, MARGIN, top - (value.size - LABEL_SIZE) * CAP_HEIGHT)
        top = _draw_lines(pdf, value, MARGIN + LABEL_WIDTH, top) - body.row_padding
        _draw_rule(pdf, top, 0.4, RULE_GRAY)


def _draw_verification(
    pdf: Canvas, slip: Slip, verify_url: str, qr: list[bytes], labels: SlipLabels
) -> None:
    """Draw the box with the QR code on the left and the code and instructions on the right."""
    pdf.setLineWidth(1)
    box_height = VERIFICATION_BOX_TOP - VERIFICATION_BOX_BOTTOM
    pdf.rect(MARGIN, VERIFICATION_BOX_BOTTOM, CONTENT_WIDTH, box_height)
    _draw_qr(pdf, qr, _QR_LEFT, VERIFICATION_BOX_BOTTOM + _BOX_PADDING, QR_PRINTED_SIZE)
    left = VERIFICATION_TEXT_LEFT
    width = MARGIN + CONTENT_WIDTH - _BOX_PADDING - left
    top = VERIFICATION_BOX_TOP - _BOX_PADDING - 6
    _draw_label(pdf, labels.code, left, top)
    code = fit_text(format_code(slip.code), MONO, 26, 10, width, 1)
    top = _draw_lines(pdf, code, left, top - 14) - 26
    _draw_label(pdf, labels.verification, left, top)
    top -= 16
    top = _draw_lines(pdf, fit_text(labels.scan_instructions, REGULAR, 10, 8, width, 2), left, top)
    page_url = fit_text(verification_page_url(verify_url), BOLD, 11, 7, width, 2)
    top = _draw_lines(pdf, page_url, left, top - 3) - 3
    _draw_lines(pdf, fit_text(labels.type_code_instructions, REGULAR, 10, 8, width, 2), left, top)


def _draw_qr(pdf: Canvas, rows: list[bytes], left: float, bottom: float, size: float) -> None:
    """Draw the QR code filling a `size` square that includes its quiet zone."""
    module = size / (len(rows) + 2 * QR_QUIET_ZONE)
    pdf.saveState()
    pdf.setFillGray(0)
    pdf.translate(left + QR_QUIET_ZONE * module, bottom + QR_QUIET_ZONE * module)
    pdf.scale(module, module)
    pdf.addLiteral(_qr_path_operators(rows))
    pdf.restoreState()


def _draw_footer(pdf: Canvas, labels: SlipLabels) -> None:
    """Draw the warning that only the verification page proves anything."""
    footer = fit_text(labels.footer, BOLD, 10, 7, CONTENT_WIDTH - 20, 3)
    _draw_lines(pdf, footer, PAGE_WIDTH / 2, VERIFICATION_BOX_BOTTOM - 10, centred=True)


# --- Reading the URL back ------------------------------------------------------------------

_SUBJECT_KEY = b"/Subject"
_WHITESPACE = b" \t\r\n\f\x00"
_OCTAL_DIGITS = b"01234567"
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def read_embedded_verify_url(pdf_bytes: bytes) -> str | None:
    """Return the verify URL a slip PDF carries as its Subject, or None; never raises."""
    if not isinstance(pdf_bytes, bytes | bytearray) or b"%PDF-" not in pdf_bytes[:1024]:
        return None
    at = pdf_bytes.rfind(_SUBJECT_KEY)
    if at < 0:
        return None
    raw = _read_pdf_string(pdf_bytes, at + len(_SUBJECT_KEY))
    text = _decode_pdf_text(raw) if raw is not None else None
    return text if text is not None and _looks_like_verify_url(text) else None


def _read_pdf_string(data: bytes, start: int) -> bytes | None:
    """Return the PDF string object starting after optional whitespace at `start`, or None."""
    position = start
    while position < len(data) and position - start < 64 and data[position] in _WHITESPACE:
        position += 1
    opener = data[position : position + 1]
    if opener == b"(":
        return _read_literal_string(data, position + 1)
    if opener == b"<" and data[position + 1 : position + 2] != b"<":
        return _read_hex_string(data, position + 1)
    return None


def _read_literal_string(data: bytes, position: int) -> bytes | None:
    """Return the bytes of a (literal) string whose body starts at `position`, or None."""
    out = bytearray()
    depth = 0
    end = min(len(data), position + 2 * MAX_EMBEDDED_URL_LENGTH)
    while position < end:
        byte = data[position]
        position += 1
        if byte == 0x5C:  # backslash
            if position >= end:
                return None
            position = _read_escape(data, position, out)
            continue
        if byte == 0x28:  # (
            depth += 1
        elif byte == 0x29:  # )
            if depth == 0:
                return bytes(out)
            depth -= 1
        out.append(byte)
    return None


def _read_escape(data: bytes, position: int, out: bytearray) -> int:
    """Append one escaped byte to `out`; return the position after the escape."""
    byte = data[position]
    if byte in _OCTAL_DIGITS:
        end = position + 1
        while end < min(len(data), position + 3) and data[end] in _OCTAL_DIGITS:
            end += 1
        out.append(int(data[position:end], 8) & 0xFF)
        return end
    if byte in b"\r\n":  # a line continuation
        return position + 2 if data[position : position + 2] == b"\r\n" else position + 1
    out.append(_ESCAPES.get(byte, byte))
    return position + 1


def _read_hex_string(data: bytes, position: int) -> bytes | None:
    """Return the bytes of a <hex> string whose digits start at `position`, or None."""
    end = data.find(b">", position, position + 4 * MAX_EMBEDDED_URL_LENGTH + 64)
    if end < 0:
        return None
    digits = bytes(b for b in data[position:end] if b not in _WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def _decode_pdf_text(raw: bytes) -> str | None:
    """Decode a PDF text string: UTF-16 with a byte order mark, else (for URLs) Latin-1."""
    if raw.startswith(b"\xfe\xff"):
        try:
            return raw[2:].decode("utf-16-be")
        except UnicodeDecodeError:
            return None
    return raw.decode("latin-1")


def _looks_like_verify_url(text: str) -> bool:
    """Return whether text is shaped like a slip's verify URL: http(s), /v/, printable ASCII."""
    return (
        len(text) <= MAX_EMBEDDED_URL_LENGTH
        and text.startswith(("https://", "http://"))
        and "/v/" in text
        and all(33 <= ord(ch) <= 126 for ch in text)
    )
