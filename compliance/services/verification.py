"""Turning a token or a typed code into a verdict an officer can rely on."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from compliance.domain import slip_token
from compliance.domain.codes import normalize_code
from compliance.domain.slip_token import TokenError
from compliance.domain.verdict import Status, Verdict
from compliance.extensions import db
from compliance.models import AttendanceRecord
from compliance.services import keyring


def verify_token(token: str) -> Verdict:
    """Check a slip token's signature, then what the service knows about its record."""
    keys = keyring.verification_keys()
    try:
        verified = slip_token.verify(
            token,
            {kid: key.public_key for kid, key in keys.items()},
            current_app.config["BASE_URL"],
            expected_types=frozenset({slip_token.SLIP_TYP}),
        )
        slip = slip_token.slip_from_claims(verified.claims)
    except TokenError as error:
        return Verdict(Status.INVALID, reason=str(error).capitalize() + ".")
    record = db.session.scalar(
        sa.select(AttendanceRecord).where(AttendanceRecord.code == slip.code)
    )
    if record is None:
        return Verdict(Status.NOT_FOUND, reason="This service has no record with this code.")
    if record.token != token:
        return Verdict(Status.INVALID, reason="This is not the slip issued under this code.")
    key = keys[verified.kid]
    if key.revoked:
        return Verdict(Status.KEY_REVOKED, slip, key.kid, key.revoked_reason, key.revoked_at)
    if record.revoked_at is not None:
        return Verdict(Status.REVOKED, slip, key.kid, record.revoked_reason, record.revoked_at)
    return Verdict(Status.VALID, slip, key.kid)


def verify_code(text: str) -> Verdict:
    """Look a typed short code up and verify the slip it was issued with."""
    code = normalize_code(text)
    token = None
    if code is not None:
        token = db.session.scalar(
            sa.select(AttendanceRecord.token).where(AttendanceRecord.code == code)
        )
    if token is None:
        return Verdict(Status.NOT_FOUND, reason="No slip with this code was issued here.")
    return verify_token(token)


def verify_code_or_token(text: str) -> Verdict:
    """Verify whatever was given: a token has dots, a code does not."""
    return verify_token(text) if "." in text else verify_code(text)
