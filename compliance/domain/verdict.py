"""What an officer is told about a slip or a summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from compliance.domain.slips.slip import Slip
from compliance.domain.summaries.summary import SummaryLine


class Status(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    KEY_REVOKED = "key_revoked"
    ALTERED = "altered"
    INVALID = "invalid"
    NOT_FOUND = "not_found"


class Withdrawable(Protocol):
    """A signing key or a record: withdrawn at some moment, for a reason, or not."""

    revoked_at: datetime | None
    revoked_reason: str | None


@dataclass(frozen=True)
class Standing:
    """Where a signed record stands now, and since when and why when it is withdrawn."""

    status: Status
    reason: str | None = None
    since: datetime | None = None

    @property
    def counts(self) -> bool:
        return self.status is Status.VALID


def standing_of(key: Withdrawable | None, record: Withdrawable) -> Standing:
    """The one rule for a record's standing: its signing key withdrawn outranks the record
    withdrawn, which outranks valid."""
    if key is not None and key.revoked_at is not None:
        return Standing(Status.KEY_REVOKED, key.revoked_reason, key.revoked_at)
    if record.revoked_at is not None:
        return Standing(Status.REVOKED, record.revoked_reason, record.revoked_at)
    return Standing(Status.VALID)


def _instant(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class ListedRecord:
    """A record a summary lists, and where it stands now (known only to the service)."""

    line: SummaryLine
    standing: Standing

    def as_json(self) -> dict:
        entry = {
            "code": self.line.code,
            "name": self.line.name,
            "status": self.standing.status.value,
            "date": self.line.day.isoformat(),
            "meeting": self.line.meeting,
            "program": self.line.program,
            "minutes": self.line.minutes,
        }
        if self.standing.reason:
            entry["reason"] = self.standing.reason
        return entry


@dataclass(frozen=True)
class SummaryStanding:
    """What a signed summary lists and how much of it still counts: one shape whether the
    service or the offline verifier (published files only) checked it.

    None is what that verifier cannot know. Offline, that is each record's standing and what
    still counts (`records`, `meetings`, `total_minutes`); which records were withdrawn since
    is known only with a revocation list and the codes a short summary carries.
    """

    name: str
    date_from: date
    date_to: date
    issued_at: datetime
    listed: int  # records the summary lists
    listed_minutes: int  # their minutes added up, as signed
    codes: tuple[str, ...] | None  # a long summary's token carries only a digest of them
    revoked_codes: tuple[str, ...] | None = None  # withdrawn since (with a withdrawn key too)
    records: tuple[ListedRecord, ...] | None = None
    # What still counts: valid records, meetings overlapping in time once.
    meetings: int | None = None
    total_minutes: int | None = None
    report: dict | None = None  # a compliance report's signed terms and outcome, as answered

    @property
    def valid_records(self) -> int | None:
        return None if self.revoked_codes is None else self.listed - len(self.revoked_codes)

    @property
    def proves_nothing_now(self) -> bool:
        """It lists records, and every one of them has been withdrawn since."""
        return self.listed > 0 and self.valid_records == 0

    def as_json(self) -> dict:
        """Return the `summary` of a verdict's answer (the API, the verify page, the CLI)."""
        shown = {
            "name": self.name,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "issued_at": _instant(self.issued_at),
            "n": self.listed,
            "min": self.listed_minutes,
            "codes": _listed(self.codes),
            "listed": self.listed,
            "valid_records": self.valid_records,
            "revoked_codes": _listed(self.revoked_codes),
            "meetings": self.meetings,
            "total_minutes": self.total_minutes,
            "records": None if self.records is None else [r.as_json() for r in self.records],
        }
        if self.report is not None:
            shown["report"] = self.report
        return shown


def _listed(codes: tuple[str, ...] | None) -> list[str] | None:
    return None if codes is None else list(codes)


@dataclass(frozen=True)
class Verdict:
    """A status, the slip it is about (when recognised), and why."""

    status: Status
    slip: Slip | None = None
    kid: str | None = None
    reason: str | None = None
    revoked_at: datetime | None = None
    summary: SummaryStanding | None = None
    note: str | None = None  # e.g. that the file is a re-saved copy of the one issued

    def as_dict(self) -> dict:
        """Return the contract's answer shape."""
        answer: dict = {
            "status": self.status.value,
            "record": self.slip.as_public_dict(self.kid) if self.slip else None,
        }
        if self.summary is not None:
            answer["summary"] = self.summary.as_json()
        if self.reason:
            answer["reason"] = self.reason
        if self.note:
            answer["note"] = self.note
        if self.revoked_at:
            answer["revoked_at"] = _instant(self.revoked_at)
        return answer
