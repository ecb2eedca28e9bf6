"""What a parsed participant report holds, and the error that says why a file was refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_DATA_ROWS = 100_000

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class ReportParticipant:
    """One person in a report, with every join/leave the report gives for them."""

    name: str
    aliases: tuple[str, ...]
    email: str | None
    intervals: tuple[Interval, ...]
    total_seconds: int | None
    is_host: bool
    first_line: int
    # One of several people with this name whose rows could not be told apart: kept apart, never
    # matched to anyone by name, and flagged for the facilitator.
    same_name_apart: bool = False


@dataclass(frozen=True)
class ParsedReport:
    """A participant report read into one entry per person, in order of first appearance."""

    format: str
    rows: int
    participants: tuple[ReportParticipant, ...]


class ReportError(ValueError):
    """A report the service cannot read, with the reason and the 1-based line it concerns."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason, line)
        self.reason = reason
        self.line = line
        # What the file was recognised as, when it was ("a Teams attendance list in French").
        self.recognised: str | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.reason
        return f"line {self.line}: {self.reason}"
