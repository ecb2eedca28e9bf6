"""Paper sizes: US Letter or A4, by the reader's choice or their locale.

Without a choice, a locale with a region follows that country's paper (Letter in the US,
Canada, Mexico and the Letter-using countries of the Americas and the Philippines; A4
everywhere else); a bare language ("en", "es") gets Letter, the paper of the courts this
service serves first. Spanish alone says nothing about the country: Mexico and most of
Central America print on Letter, Spain and Argentina on A4.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, letter

LETTER, A4_PAPER = "letter", "a4"
PAGE_SIZES = {LETTER: letter, A4_PAPER: A4}
DEFAULT_PAPER = LETTER
# ISO 3166 regions whose ordinary paper is US Letter.
_LETTER_REGIONS = frozenset(
    {
        "US",
        "CA",
        "MX",
        "PR",
        "GT",
        "SV",
        "HN",
        "NI",
        "CR",
        "PA",
        "DO",
        "CU",
        "CO",
        "VE",
        "CL",
        "PH",
        "BZ",
        "GU",
        "VI",
        "AS",
        "MP",
        "UM",
    }
)


def paper_named(value: str | None) -> str | None:
    """Return the paper a query value asks for ('letter' or 'a4', any case), or None."""
    folded = (value or "").strip().lower()
    return folded if folded in PAGE_SIZES else None


def paper_for_locale(locale: str | None) -> str:
    """Return the paper for a locale such as 'en', 'en-GB', 'es_ES' or 'es-419'."""
    parts = (locale or "").replace("_", "-").split("-")
    region = next((part.upper() for part in parts[1:] if len(part) == 2 and part.isalpha()), None)
    if region is None:
        return DEFAULT_PAPER
    return LETTER if region in _LETTER_REGIONS else A4_PAPER
