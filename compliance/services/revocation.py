"""Withdrawing a record that was issued by mistake."""

from __future__ import annotations

from compliance.extensions import db
from compliance.models import AttendanceRecord, User
from compliance.models.types import utcnow
from compliance.services.errors import InvalidInput, NotFound
from compliance.services.meetings import session_for


def record_for(user: User, record_id: str) -> AttendanceRecord:
    """Return a record of a session this user runs; any other id is simply not found."""
    record = db.session.get(AttendanceRecord, record_id)
    try:
        if record is None:
            raise NotFound("no record with this id")
        session_for(user, record.session_id)
    except NotFound:
        raise NotFound("no record with this id") from None
    return record


def revoke_record(user: User, record_id: str, reason: str) -> AttendanceRecord:
    """Withdraw a slip; it then verifies as revoked, with the reason and when."""
    record = record_for(user, record_id)
    reason = " ".join(reason.split())
    if not 1 <= len(reason) <= 500:
        raise InvalidInput("reason", "reason must be 1 to 500 characters")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        record.revoked_reason = reason
        db.session.commit()
    return record
