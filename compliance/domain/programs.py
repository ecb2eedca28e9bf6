"""Mutual-help programs a meeting can belong to, and IANA time zone names."""

from functools import lru_cache
from zoneinfo import available_timezones

PROGRAMS = (
    "AA",
    "NA",
    "SMART Recovery",
    "LifeRing",
    "Women for Sobriety",
    "Refuge Recovery",
    "Celebrate Recovery",
    "Harm Reduction Works",
    "Peer support",
    "Other",
)
PLATFORMS = ("Zoom", "Microsoft Teams", "Google Meet", "Other")


def canonical_program(text: str) -> str:
    """Return the listed spelling of a program, or the text as given when it is not listed."""
    cleaned = " ".join(text.split())
    for program in PROGRAMS:
        if program.casefold() == cleaned.casefold():
            return program
    return cleaned


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in known_timezones()
