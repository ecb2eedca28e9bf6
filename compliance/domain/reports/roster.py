"""Gather report rows into one entry per person: same email, else a shared name."""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.domain.people import name_key
from compliance.domain.reports.model import (
    Interval,
    ParsedReport,
    ReportError,
    ReportParticipant,
)


@dataclass(slots=True)
class Person:
    """A person being gathered from rows; parsers add intervals and totals to it."""

    name: str
    first_line: int
    email: str | None = None
    aliases: list[str] = field(default_factory=list)
    name_keys: set[str] = field(default_factory=set)
    intervals: list[Interval] = field(default_factory=list)
    total_seconds: int | None = None
    is_host: bool = False
    same_name_apart: bool = False

    def add_total(self, seconds: int) -> None:
        """Add a reported total length of presence."""
        self.total_seconds = (self.total_seconds or 0) + seconds

    def freeze(self, host_email: str | None) -> ReportParticipant:
        """Return the finished, immutable participant."""
        return ReportParticipant(
            name=self.name,
            aliases=tuple(self.aliases),
            email=self.email,
            intervals=tuple(sorted(self.intervals) if len(self.intervals) > 1 else self.intervals),
            total_seconds=self.total_seconds,
            is_host=self.is_host or (host_email is not None and self.email == host_email),
            first_line=self.first_line,
            same_name_apart=self.same_name_apart,
        )


class Roster:
    """People met so far in a report, found again by email or by any of their names."""

    def __init__(self) -> None:
        self._people: list[Person] = []
        self._by_email: dict[str, Person] = {}
        self._by_name: dict[str, Person] = {}
        self._keys: dict[str, str] = {}
        self._resolved: dict[tuple[tuple[str, ...], str | None], Person] = {}

    def person(
        self, line: int, names: tuple[str, ...], email: str | None, is_host: bool = False
    ) -> Person:
        """Return the person a row is about, creating them on first sight."""
        # Once resolved, the same names and email always lead to the same person, and a
        # rejoining person repeats them on every row.
        resolved = self._resolved.get((names, email))
        if resolved is not None:
            return resolved
        keys = tuple(self._key(name) for name in names)
        found = self._find(keys, email)
        if found is None:
            found = Person(name=names[0], first_line=line)
            self._people.append(found)
        self._absorb(found, names, keys, email)
        found.is_host = found.is_host or is_host
        self._resolved[(names, email)] = found
        return found

    def distinct_person(
        self,
        line: int,
        names: tuple[str, ...],
        email: str | None,
        is_host: bool = False,
        same_name_apart: bool = False,
    ) -> Person:
        """Return a person for a row that is someone of its own (a "unique users" row, or one of
        two people of one name at once): found again only by the same email, never by a name."""
        found = self._by_email.get(email) if email is not None else None
        if found is None:
            found = Person(
                name=names[0],
                first_line=line,
                email=email,
                aliases=list(names[1:]),
                same_name_apart=same_name_apart,
            )
            self._people.append(found)
            if email is not None:
                self._by_email[email] = found
        found.is_host = found.is_host or is_host
        return found

    def participants(self, host_email: str | None = None) -> tuple[ReportParticipant, ...]:
        """Return everyone in order of first appearance."""
        return tuple(person.freeze(host_email) for person in self._people)

    def _find(self, keys: tuple[str, ...], email: str | None) -> Person | None:
        """Return the known person with this email, else one sharing a name (and no other email)."""
        if email is not None and (person := self._by_email.get(email)) is not None:
            return person
        for key in keys:
            person = self._by_name.get(key)
            if person is not None and (email is None or person.email is None):
                return person
        return None

    def _absorb(
        self, person: Person, names: tuple[str, ...], keys: tuple[str, ...], email: str | None
    ) -> None:
        """Record a row's names and email as belonging to the person."""
        for name, key in zip(names, keys, strict=True):
            if key in person.name_keys:
                continue
            if person.name_keys:
                person.aliases.append(name)
            person.name_keys.add(key)
            self._by_name.setdefault(key, person)
        if email is not None and person.email is None:
            person.email = email
            self._by_email.setdefault(email, person)

    def _key(self, name: str) -> str:
        """Return a name's matching key, remembered because names repeat across rows."""
        try:
            return self._keys[name]
        except KeyError:
            key = self._keys[name] = name_key(name)
            return key


def email_value(text: str) -> str | None:
    """Return an email cell trimmed and lower-cased, or None when blank."""
    return text.strip().lower() or None


def finish_report(
    format_name: str, count: int, header_line: int, roster: Roster, host_email: str | None = None
) -> ParsedReport:
    """Return the parsed report, refusing a table with no attendance rows under its header."""
    if count == 0:
        raise ReportError("no attendance rows follow the header", header_line)
    return ParsedReport(format_name, count, roster.participants(host_email))
