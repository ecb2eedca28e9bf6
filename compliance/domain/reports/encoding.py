"""Tell how a report's bytes are encoded (UTF-8 or UTF-16, either byte order, BOM or not)."""

from __future__ import annotations

import codecs
import re

from compliance.domain.reports.model import ReportError

# Whitespace, separators and empty quotes only, like a blank line or ",,,,,,".
_NOTHING = re.compile(r'[\s,;"\ufeff]*')
_SNIFF_BYTES = 4096
# In UTF-16 text of a report, most characters are ASCII (digits, separators, Latin names), so one
# byte of most pairs is zero; Japanese or Chinese names still leave the digits of every time.
_UTF16_ZERO_SHARE = 0.3
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_RESAVE_HINT = (
    "save it again as \u201cCSV UTF-8\u201d (or \u201cUnicode text\u201d) and import that"
)


def decode_report(data: bytes) -> str:
    """Return the text of a UTF-8 or UTF-16 report, refusing an empty or undecodable file."""
    encoding, body = _encoding_of(data)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(body, encoding, error) from None
    if _NOTHING.fullmatch(text):
        raise ReportError("the file is empty")
    if "\x00" in text:
        reason = f"the file is not UTF-8 or UTF-16 text (it holds binary zeros); {_RESAVE_HINT}"
        raise ReportError(reason, text[: text.index("\x00")].count("\n") + 1)
    return text


def encoding_name(data: bytes) -> str:
    """Return the encoding a report's bytes are read with: utf-8, utf-16-le or utf-16-be."""
    return _encoding_of(data)[0]


def _encoding_of(data: bytes) -> tuple[str, bytes]:
    """Return the encoding and the bytes after any byte-order mark."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom) :]
    head = data[:_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs >= 2:
        even_zeros, odd_zeros = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
        if odd_zeros >= pairs * _UTF16_ZERO_SHARE and even_zeros < odd_zeros / 4:
            return "utf-16-le", data
        if even_zeros >= pairs * _UTF16_ZERO_SHARE and odd_zeros < even_zeros / 4:
            return "utf-16-be", data
    return "utf-8", data


def _undecodable(body: bytes, encoding: str, error: UnicodeDecodeError) -> ReportError:
    """Return the refusal of bytes that are not text in the encoding they were read as."""
    if encoding == "utf-8":
        line = body[: error.start].count(b"\n") + 1
        return ReportError(
            "the file is not UTF-8 or UTF-16 text: a spreadsheet may have saved it in an older "
            f"encoding; {_RESAVE_HINT}",
            line,
        )
    return ReportError(f"the file is not UTF-8 or UTF-16 text: it breaks off; {_RESAVE_HINT}")
