"""Gather report rows into one entry per person: same email, else a shared name."""

from __future__ import annotations

from dataclasses import dataclass, field

from compliance.domain.people import People, email_key, name_key
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
    """People met so far in a report, found again by the one rule of `domain.people`."""

    def __init__(self) -> None:
        self._people: list[Person] = []
        self._known: People[Person] = People()
        self._resolved: dict[tuple[tuple[str, ...], str | None], Person] = {}

    def person(
        self, line: int, names: tuple[str, ...], email: str | None, is_host: bool = False
    ) -> Person:
        """Return the person a row is about, creating them on first sight; a row whose name
        could be several people is someone of its own, flagged, never given to one of them."""
        # Once resolved, the same names and email always lead to the same person, and a
        # rejoining person repeats them on every row.
        resolved = self._resolved.get((names, email))
        if resolved is not None:
            return resolved
        found = self._known.matches(names, email)
        if len(found) > 1:
            return self.distinct_person(line, names, email, is_host, same_name_apart=True)
        person = found[0] if found else self._new(line, names[0])
        self._absorb(person, names, email)
        person.is_host = person.is_host or is_host
        self._resolved[(names, email)] = person
        return person

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
        person = self._known.with_email(email)
        if person is None:
            person = self._new(line, names[0])
            person.email, person.aliases = email, list(names[1:])
            person.same_name_apart = same_name_apart
            self._known.remember(person)
        person.is_host = person.is_host or is_host
        return person

    def participants(self, host_email: str | None = None) -> tuple[ReportParticipant, ...]:
        """Return everyone in order of first appearance."""
        return tuple(person.freeze(host_email) for person in self._people)

    def _new(self, line: int, name: str) -> Person:
        person = Person(name=name, first_line=line)
        self._people.append(person)
        return person

    def _absorb(self, person: Person, names: tuple[str, ...], email: str | None) -> None:
        """Record a row's names and email as belonging to the person."""
        for name in names:
            key = name_key(name)
            if key in person.name_keys:
                continue
            if person.name_keys:
                person.aliases.append(name)
            person.name_keys.add(key)
        person.email = person.email or email
        self._known.remember(person, names)


def email_value(text: str) -> str | None:
    """Return an email cell as the matching rule takes it, or None when blank."""
    return email_key(text)


def finish_report(
    format_name: str, count: int, header_line: int, roster: Roster, host_email: str | None = None
) -> ParsedReport:
    """Return the parsed report, refusing a table with no attendance rows under its header."""
    if count == 0:
        raise ReportError("no attendance rows follow the header", header_line)
    return ParsedReport(format_name, count, roster.participants(host_email))
