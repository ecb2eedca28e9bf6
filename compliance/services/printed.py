"""Checking text that will be printed on a slip or summary: every refusal names its field."""

from __future__ import annotations

from compliance.domain.printed_text import describe, hidden_character, normalize, unprintable
from compliance.services.errors import InvalidInput


def clean_printed(field: str, value: str, max_length: int) -> str:
    """Return the text NFC-normalised with its spacing tidied, or refuse it, naming the field."""
    bad = hidden_character(value)
    if bad is not None:
        raise InvalidInput(
            field,
            f"{field} must not contain the invisible character {describe(bad)}: it could make "
            "the text read differently from what it holds",
        )
    cleaned = normalize(value)
    missing = unprintable(cleaned)
    if missing is not None:
        raise InvalidInput(
            field,
            f"{field} contains {describe(missing)}, which the slip's fonts cannot print; "
            "leave it out or write it another way",
        )
    if not cleaned:
        raise InvalidInput(field, f"{field} must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"{field} must be at most {max_length} characters")
    return cleaned
