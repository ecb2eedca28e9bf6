"""QR codes for printed documents: byte mode, error correction M, a fixed mask, version <= 22.

qrcode draws the function patterns and supplies the tables and the mask; the codewords and
their placement are computed here because qrcode's own pure-Python pipeline costs several
milliseconds per document. tests/domain/test_slip_pdf.py checks the result against qrcode's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

import qrcode
from qrcode import base as qr_base
from qrcode import util as qr_util
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QR_MAX_VERSION = 22
QR_MASK_PATTERN = 2
QR_QUIET_ZONE = 4

_BYTE_MODE = 0b0100
_PAD_CODEWORDS = b"\xec\x11"
_BITS_AS_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_DARK_RUN = re.compile(b"\x01+")
_NUMBERS = tuple(str(number) for number in range(4 * QR_MAX_VERSION + 18))


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
    """Return whether the text fits a printed QR code (version 22 or smaller, correction M)."""
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


def qr_path_operators(rows: list[bytes]) -> str:
    """Return PDF operators filling the dark modules as one path of horizontal runs.

    One unit is one module; the caller scales.
    """
    size = len(rows)
    runs = []
    for y, row in enumerate(rows):
        # ~2,300 runs per slip: numbers come from a table and each row's y is written once.
        row_y = f" {size - 1 - y} "
        for start, end in map(re.Match.span, _DARK_RUN.finditer(row)):
            runs.append(f"{_NUMBERS[start]}{row_y}{_NUMBERS[end - start]} 1 re")
    return "\n".join(runs) + "\nf"


def draw_qr(pdf: Canvas, rows: list[bytes], left: float, bottom: float, size: float) -> None:
    """Draw the QR code filling a `size` square that includes its quiet zone."""
    module = size / (len(rows) + 2 * QR_QUIET_ZONE)
    pdf.saveState()
    pdf.setFillGray(0)
    pdf.translate(left + QR_QUIET_ZONE * module, bottom + QR_QUIET_ZONE * module)
    pdf.scale(module, module)
    pdf.addLiteral(qr_path_operators(rows))
    pdf.restoreState()
