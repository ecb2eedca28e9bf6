"""What an officer is told about a slip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from compliance.domain.slips.slip import Slip


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


@dataclass(frozen=True)
class Verdict:
    """A status, the slip it is about (when recognised), and why."""

    status: Status
    slip: Slip | None = None
    kid: str | None = None
    reason: str | None = None
    revoked_at: datetime | None = None
    summary: dict | None = None
    note: str | None = None  # e.g. that the file is a re-saved copy of the one issued

    def as_dict(self) -> dict:
        """Return the contract's answer shape."""
        answer: dict = {
            "status": self.status.value,
            "record": self.slip.as_public_dict(self.kid) if self.slip else None,
        }
        if self.summary is not None:
            answer["summary"] = self.summary
        if self.reason:
            answer["reason"] = self.reason
        if self.note:
            answer["note"] = self.note
        if self.revoked_at:
            answer["revoked_at"] = self.revoked_at.isoformat().replace("+00:00", "Z")
        return answer
