"""What someone hands over to be checked: a slip PDF, a QR link, or a bare token."""

from __future__ import annotations

from pathlib import Path

from compliance.domain.pdf.reading import qr_texts_on_first_page, subject_of
from compliance.domain.slips.pdf import read_embedded_verify_url

MAX_INPUT_BYTES = 2 * 1024 * 1024


class SlipInputError(ValueError):
    """Nothing that could be a slip was found in the input."""


def token_in_verify_url(url: str | None) -> str | None:
    """Return the token a slip's QR link carries, whatever origin it names."""
    if not url or "/v/" not in url:
        return None
    token = url.rsplit("/v/", 1)[1].split("?", 1)[0].split("#", 1)[0]
    return token or None


def token_in_pdf(data: bytes) -> str | None:
    """Return the slip token a PDF carries (its Subject, else its one QR code), or None."""
    token = token_in_verify_url(read_embedded_verify_url(data))
    if token is None and data.startswith(b"%PDF"):
        token = token_in_verify_url(subject_of(data))
        if token is None:
            codes = qr_texts_on_first_page(data)
            # Two codes would be two claims: which one the file means is not ours to guess.
            token = token_in_verify_url(codes[0]) if len(codes) == 1 else None
    return token


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a token longer than a file name may be
        return False


def read_slip_input(argument: str) -> tuple[bytes | None, str]:
    """Return (pdf bytes or None, token) from a file path, a QR link or a token."""
    path = Path(argument)
    if _is_file(path):
        data = path.read_bytes()[: MAX_INPUT_BYTES + 1]
        if len(data) > MAX_INPUT_BYTES:
            raise SlipInputError(f"{argument} is too large to be a slip")
        if data.startswith(b"%PDF"):
            token = token_in_pdf(data)
            if token is None:
                raise SlipInputError(f"no slip could be read from {argument}")
            return data, token
        argument = data.decode("utf-8", errors="replace").strip()
    token = token_in_verify_url(argument) or argument.strip()
    if token.count(".") != 2:
        raise SlipInputError("give a slip PDF, a verification link, or a token")
    return None, token
