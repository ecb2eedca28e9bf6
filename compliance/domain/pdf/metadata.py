"""The verify URL a document carries as its PDF Subject: read back without a PDF library."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_EMBEDDED_URL_LENGTH = 8192
_SUBJECT_KEY = b"/Subject"
_WHITESPACE = b" \t\r\n\f\x00"
_OCTAL_DIGITS = b"01234567"
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def read_embedded_verify_url(pdf_bytes: bytes) -> str | None:
    """Return the verify URL a slip or summary PDF carries as its Subject, or None; never raises."""
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
    """Return whether text is shaped like a document's verify URL: http(s), /v/, printable ASCII."""
    return (
        len(text) <= MAX_EMBEDDED_URL_LENGTH
        and text.startswith(("https://", "http://"))
        and "/v/" in text
        and all(33 <= ord(ch) <= 126 for ch in text)
    )


def verification_page_url(verify_url: str) -> str:
    """Return the page where an officer can type a code, next to a document's /v/ link."""
    base, separator, _ = verify_url.rpartition("/v/")
    if not separator:
        parts = urlsplit(verify_url)
        base = f"{parts.scheme}://{parts.netloc}"
    return base + "/verify"
