"""A facilitator correcting the roster before signing: the printed name, an interval, a whole
import, or the session itself. Each change is audited with what it was and why."""

from __future__ import annotations

import json

import sqlalchemy as sa

from compliance.domain.people import name_key
from compliance.extensions import db
from compliance.models import Interval, Participant, ReportImport, User
from compliance.models.meetings import SessionStatus
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.attendance import clean_attendee_name, participant_in, require_open
from compliance.services.errors import Conflict, NotFound
from compliance.services.meetings import session_for
from compliance.services.slip_room import check_fits_on_slip

MAX_REASON_LENGTH = 500
NO_REASON = "removed by the facilitator"


def rename_attendee(user: User, session_id: str, participant_id: str, name: str) -> Participant:
    """Set the name this person's slip will print ("Quinn, Pat" → "Pat Quinn")."""
    person = participant_in(user, session_id, participant_id)
    name = clean_attendee_name(name)
    check_fits_on_slip(person.session, name)
    before = person.name
    person.name, person.name_key, person.name_source = name, name_key(name), "facilitator"
    audit.record_event(
        "roster.renamed", user.email, f"participant:{person.id}", {"from": before, "to": name}
    )
    db.session.commit()
    return person


def _reason(reason: str | None) -> str:
    cleaned = " ".join((reason or "").split())[:MAX_REASON_LENGTH]
    return cleaned or NO_REASON


def remove_interval(user: User, session_id: str, interval_id: str, reason: str | None) -> None:
    """Take a stretch of presence off the roster; the log keeps what it was and why."""
    session = session_for(user, session_id)
    require_open(session)
    interval = db.session.get(Interval, interval_id)
    if interval is None or interval.participant.session_id != session.id:
        raise NotFound("no such interval in this session")
    details = {
        "participant": interval.participant_id,
        "joined_at": interval.joined_at.isoformat(),
        "left_at": interval.left_at.isoformat() if interval.left_at else None,
        "source": interval.source,
        "reason": _reason(reason),
    }
    db.session.delete(interval)
    audit.record_event("roster.interval_removed", user.email, f"session:{session.id}", details)
    db.session.commit()


def undo_import(user: User, session_id: str, import_id: str) -> None:
    """Remove everything one participant report added, and put back what it changed."""
    session = session_for(user, session_id)
    require_open(session)
    record = db.session.get(ReportImport, import_id)
    if record is None or record.session_id != session.id:
        raise NotFound("no such import in this session")
    db.session.execute(sa.delete(Interval).where(Interval.import_id == record.id))
    still_present = sa.exists().where(Interval.participant_id == Participant.id)
    db.session.execute(
        sa.delete(Participant).where(Participant.import_id == record.id, ~still_present)
    )
    db.session.execute(
        sa.update(Participant).where(Participant.import_id == record.id).values(import_id=None)
    )
    for before in json.loads(record.restore or "[]"):
        person = db.session.get(Participant, before["id"])
        if person is not None:
            person.email, person.is_host = before["email"], before["is_host"]
            person.reported_total_seconds = before["reported_total_seconds"]
    db.session.delete(record)
    audit.record_event(
        "roster.import_undone",
        user.email,
        f"session:{session.id}",
        {"import": import_id, "format": record.format, "rows": record.rows},
    )
    db.session.commit()
    db.session.expire_all()


def cancel_session(user: User, session_id: str) -> None:
    """Cancel a session not signed (opened by mistake, or the meeting did not take place):
    its codes stop working and it no longer waits for a signature."""
    session = session_for(user, session_id, for_update=True)
    if session.status == SessionStatus.FINALIZED:
        raise Conflict("this session is signed; revoke its records instead of cancelling it")
    if session.status == SessionStatus.CANCELLED:
        return
    session.status, session.cancelled_at = SessionStatus.CANCELLED, utcnow()
    audit.record_event("session.cancelled", user.email, f"session:{session.id}")
    db.session.commit()
