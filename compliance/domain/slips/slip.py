"""What a proof-of-attendance slip says: the fields that are signed and printed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Slip:
    """One attendee's signed record of one session, exactly as issued."""

    code: str
    name: str
    meeting: str
    program: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    present_minutes: int
    facilitator: str
    facilitator_id: str
    issued_at: datetime
    language: str = "en"

    def local(self, moment: datetime) -> datetime:
        """Return a UTC moment as wall-clock time in the meeting's zone."""
        return moment.astimezone(ZoneInfo(self.timezone))

    @property
    def local_start(self) -> datetime:
        return self.local(self.starts_at)

    @property
    def local_end(self) -> datetime:
        return self.local(self.ends_at)

    @property
    def scheduled_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def as_public_dict(self, kid: str) -> dict:
        """Return the fields an officer may see, in the contract's shape."""
        return {
            "code": format_code(self.code),
            "name": self.name,
            "meeting": self.meeting,
            "program": self.program,
            "starts_at": self.local_start.isoformat(),
            "ends_at": self.local_end.isoformat(),
            "timezone": self.timezone,
            "present_minutes": self.present_minutes,
            "scheduled_minutes": self.scheduled_minutes,
            "facilitator": self.facilitator,
            "facilitator_id": self.facilitator_id,
            "issued_at": self.issued_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "language": self.language,
            "kid": kid,
        }


def format_code(code: str) -> str:
    """Group a short code in blocks of four for reading aloud and typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
