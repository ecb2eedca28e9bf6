"""How the same person is recognised across entries: by email, else by name."""

import re

_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """Return a name folded for matching: case and spacing ignored."""
    return _SPACES.sub(" ", name).strip().casefold()


def email_key(email: str | None) -> str | None:
    """Return an email folded for matching, or None when there is none."""
    if email is None:
        return None
    folded = email.strip().lower()
    return folded or None
