"""The one rule for recognising the same person across entries: the same email, else the same
name (case, spacing and Unicode form ignored) when one side has no email to tell them apart.

Every place that joins an entry to someone already seen (a report's rows, an import into a
roster, a facilitator's entry by hand, a check-out) asks `People`, so the rule cannot drift.
When a name could be several people, `matches` says so and the caller refuses or keeps the entry
apart: minutes are never given to a guessed person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
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


def names_can_join(known_email: str | None, email: str | None) -> bool:
    """Return whether a shared name may join two entries: not when each has its own email,
    because two emails are two people whatever their names."""
    return known_email is None or email is None


class Addressed(Protocol):
    """Anyone the rule can be asked about: a person as far as their email is known."""

    email: str | None


Person = TypeVar("Person", bound=Addressed)


class People(Generic[Person]):
    """People met so far, found again by email or by any name they are known by.

    A person's email is read when asked, so someone whose email becomes known later is then
    found by it once `remember` is told."""

    def __init__(self) -> None:
        self._by_email: dict[str, Person] = {}
        self._by_name: dict[str, list[Person]] = {}

    def remember(self, person: Person, names: Iterable[str] = ()) -> None:
        """Record that `person` is known by these names and by their email (if any)."""
        if person.email is not None:
            self._by_email.setdefault(person.email, person)
        for name in names:
            known = self._by_name.setdefault(name_key(name), [])
            if not any(other is person for other in known):
                known.append(person)

    def with_email(self, email: str | None) -> Person | None:
        """Return the person with this email, if one is known."""
        return self._by_email.get(email) if email is not None else None

    def matches(self, names: Iterable[str], email: str | None) -> list[Person]:
        """Return everyone an entry with these names and email could be: the one person with
        its email, else each person known by one of its names whose email does not differ."""
        found = self.with_email(email)
        if found is not None:
            return [found]
        candidates: list[Person] = []
        for name in names:
            for person in self._by_name.get(name_key(name), ()):
                if names_can_join(person.email, email) and not any(
                    person is other for other in candidates
                ):
                    candidates.append(person)
        return candidates

    def named_and_addressed(self, name: str, email: str) -> Person | None:
        """Return the person known by both this name and this email, or None: for a claim
        that anyone could type (a check-out), one of the two is not enough."""
        found = self.with_email(email)
        if found is None:
            return None
        key = name_key(name)
        return found if any(person is found for person in self._by_name.get(key, ())) else None
