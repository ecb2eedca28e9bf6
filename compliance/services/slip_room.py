"""Whether a name still fits in a slip's QR code, checked when the name is entered.

A version-22 QR holds about 780 bytes; the token carries the meeting's name, the facilitator's
and the attendee's. Refusing an over-long name at entry names the person and the field;
finding out at signing would hold up everyone's slips.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from flask import current_app

from compliance.domain import slip_token
from compliance.domain.codes import CODE_LENGTH
from compliance.domain.slip import Slip
from compliance.domain.slip_pdf import qr_fits
from compliance.models import MeetingSession
from compliance.services.errors import InvalidInput

SIGNATURE_CHARS = 86  # 64 bytes of Ed25519 signature in base64url
KID_CHARS = 43  # an RFC 7638 SHA-256 thumbprint in base64url
LONGEST_FACILITATOR_NAME = "W" * 40


def _b64_length(data: bytes) -> int:
    return len(base64.urlsafe_b64encode(data).rstrip(b"="))


def slip_url_length(session: MeetingSession, name: str) -> int:
    """Return the length of the QR link a slip for this name would get (worst case)."""
    meeting = session.meeting
    facilitators = [f.display_name for f in meeting.facilitators] or [LONGEST_FACILITATOR_NAME]
    slip = Slip(
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
    claims = slip_token.slip_claims(slip, current_app.config["BASE_URL"])
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    header = json.dumps(
        {"alg": "EdDSA", "kid": "k" * KID_CHARS, "typ": slip_token.SLIP_TYP}, separators=(",", ":")
    )
    base = len(current_app.config["BASE_URL"]) + len("/v/")
    return (
        base
        + _b64_length(header.encode())
        + 1
        + _b64_length(payload.encode("utf-8"))
        + 1
        + SIGNATURE_CHARS
    )


def check_fits_on_slip(session: MeetingSession, name: str) -> None:
    """Refuse a name that would not fit in the slip's QR code for this meeting."""
    if not qr_fits("x" * slip_url_length(session, name)):
        raise InvalidInput(
            "name",
            "This name is too long to fit in the slip's QR code for this meeting; "
            "use a shorter form of it (for example initials for middle names).",
        )
