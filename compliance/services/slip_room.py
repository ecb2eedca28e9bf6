"""Whether a name still fits in a slip's QR code, checked when the name is entered.

A version-22 QR holds about 780 bytes; the token carries the meeting's name, the facilitator's
and the attendee's. Refusing an over-long name at entry names the person and the field;
finding out at signing would hold up everyone's slips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app

from compliance.domain.codes import CODE_LENGTH
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import qr_fits
from compliance.domain.slips.slip import Slip
from compliance.models import MeetingSession
from compliance.services.errors import InvalidInput

LONGEST_FACILITATOR_NAME = "W" * 40
_name_bytes = slip_token.claim_string_bytes
_EMPTY_NAME_BYTES = _name_bytes("")


@dataclass(frozen=True)
class SlipRoom:
    """The QR room a session's slips leave for the attendee's name, measured once per session.

    Everything in the token but the name is fixed for a session (worst cases for what is not
    known yet), and the name enters the signed JSON as one string, so a name's slip link is
    the fixed part plus the name's JSON length: checking a 5,000-person report costs 5,000
    string encodings, not 5,000 slips built.
    """

    fixed_chars: int  # origin, "/v/", the header, two dots and the signature
    payload_bytes_without_name: int  # the claims' JSON with an empty name

    def url_length(self, name: str) -> int:
        """Return the length of the QR link a slip for this name would get (worst case)."""
        payload = self.payload_bytes_without_name - _EMPTY_NAME_BYTES + _name_bytes(name)
        return self.fixed_chars + slip_token.base64url_length(payload)

    def check(self, name: str) -> None:
        """Refuse a name that would not fit in the slip's QR code for this meeting."""
        if not _link_of_length_fits(self.url_length(name)):
            raise InvalidInput(
                "name",
                "This name is too long to fit in the slip's QR code for this meeting; "
                "use a shorter form of it (for example initials for middle names).",
            )


@lru_cache(maxsize=4096)
def _link_of_length_fits(length: int) -> bool:
    """Return whether a slip link of this many characters fits in the QR (only its length
    matters, and a report's names have few distinct lengths)."""
    return qr_fits("x" * length)


def worst_case_slip(session: MeetingSession, name: str = "") -> Slip:
    """Return the longest slip this session could issue to this name (as far as known now)."""
    meeting = session.meeting
    facilitators = [f.display_name for f in meeting.facilitators] or [LONGEST_FACILITATOR_NAME]
    return Slip(
        code="W" * CODE_LENGTH,
        name=name,
        meeting=meeting.name,
        program=meeting.program,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=meeting.timezone,
        present_minutes=999,
        facilitator=max(facilitators, key=lambda n: len(n.encode())),
        facilitator_id="F-XXXXXXXX",
        issued_at=datetime(2099, 12, 31, tzinfo=UTC),
        language="en",
    )


def room_for(session: MeetingSession) -> SlipRoom:
    """Measure the room a slip of this session leaves for a name."""
    claims = slip_token.slip_claims(worst_case_slip(session), current_app.config["BASE_URL"])
    origin_and_path = len(current_app.config["BASE_URL"]) + len("/v/")
    return SlipRoom(
        fixed_chars=origin_and_path + slip_token.token_length_without_payload(slip_token.SLIP_TYP),
        payload_bytes_without_name=len(slip_token.payload_bytes(claims)),
    )


def check_fits_on_slip(session: MeetingSession, name: str) -> None:
    """Refuse a name that would not fit in the slip's QR code for this meeting."""
    room_for(session).check(name)
