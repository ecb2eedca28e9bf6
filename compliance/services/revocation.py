"""Withdrawing a record that was issued by mistake."""

from __future__ import annotations

import sqlalchemy as sa

from compliance.domain.offline import revocation_id
from compliance.extensions import db
from compliance.models import AttendanceRecord, SigningKey, User
from compliance.models.types import utcnow
from compliance.services import audit
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
        audit.record_event("record.revoked", user.email, record.code, {"reason": reason})
        db.session.commit()
    return record


def revocation_list(kid: str) -> dict | None:
    """Return what offline verifiers need to know about one key's withdrawn records.

    Only derived revocation ids (domain.offline.revocation_id), sorted: never a code, a reason
    or a date per record, which would let anyone holding the list look a person up. Records
    are only ever revoked, never un-revoked, so their count is a counter that grows on every
    change.
    """
    if db.session.get(SigningKey, kid) is None:
        return None
    rows = db.session.execute(
        sa.select(AttendanceRecord.code, AttendanceRecord.revoked_at).where(
            AttendanceRecord.kid == kid, AttendanceRecord.revoked_at.is_not(None)
        )
    ).all()
    return {
        "kid": kid,
        "ctr": len(rows),
        "updated_at": _iso(max((r.revoked_at for r in rows), default=None)),
        "rids": sorted(revocation_id(kid, r.code) for r in rows),
    }


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None
