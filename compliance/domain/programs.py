"""Mutual-help programs a meeting can belong to, and IANA time zone names."""

from functools import lru_cache
from importlib import resources
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


UNIVERSAL = frozenset({"UTC", "Etc/UTC"})


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """Return the canonical IANA zones (those of zone.tab, and UTC).

    Not every name the zone database answers to: "localtime" and "Factory" depend on the host or
    mean nothing, and old aliases ("US/Central") are spelled differently elsewhere. A slip's
    time must read the same on every host that re-creates it.
    """
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones = {
        line.split("\t")[2].strip()
        for line in table.splitlines()
        if line.strip() and not line.startswith("#")
    }
    return frozenset(zones & available_timezones()) | UNIVERSAL


def is_known_timezone(name: str) -> bool:
    return name in known_timezones()
