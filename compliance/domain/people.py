"""How the same person is recognised across entries: by email, else by name."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Return a name folded for matching: case, spacing and Unicode normal form ignored."""
    folded = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().casefold()
    return unicodedata.normalize("NFC", folded)


def email_key(email: str | None) -> str | None:
    """Return an email folded for matching, or None when there is none."""
    if email is None:
        return None
    folded = email.strip().lower()
    return folded or None
