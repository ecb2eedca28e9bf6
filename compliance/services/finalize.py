"""Signing a session: one transaction issues every qualifying person's record and locks it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from compliance.domain.codes import new_code
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import qr_fits
from compliance.domain.slips.slip import Slip
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, MeetingSession, Participant, User
from compliance.models.meetings import SessionStatus
from compliance.models.types import new_id
from compliance.services import audit, clock, keyring, links, outbox
from compliance.services.attendance import RosterEntry, require_open, roster
from compliance.services.errors import Conflict, Unprocessable
from compliance.services.meetings import session_for

CHUNK = 500  # ids per IN (...), well under every database's parameter limit


def _claim_for_signing(session: MeetingSession, user: User, now: datetime) -> None:
    """Lock the session with a conditional update, so two racing finalizes cannot both win."""
    claimed = db.session.execute(
        sa.update(MeetingSession)
        .where(MeetingSession.id == session.id, MeetingSession.status == SessionStatus.OPEN)
        .values(status=SessionStatus.FINALIZED, finalized_at=now, finalized_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict("this session is already signed")
    db.session.refresh(session)


def _pages_for(people: list[Participant]) -> list[Attendee]:
    """Return the page each person's record joins: the one proven at check-in, else a new page
    of its own that no one holds a link to yet (never one found by a typed name or email)."""
    ids = sorted({p.attendee_id for p in people if p.attendee_id})
    known: dict[str, Attendee] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        known.update(
            (a.id, a) for a in db.session.scalars(sa.select(Attendee).where(Attendee.id.in_(chunk)))
        )
    pages = []
    for person in people:
        page = known.get(person.attendee_id) if person.attendee_id else None
        if page is None:
            page = Attendee(name=person.name)
            db.session.add(page)
        pages.append(page)
    return pages


def _require_ended(session: MeetingSession, now: datetime) -> None:
    """Refuse to sign for a meeting that has not happened yet."""
    if now < session.ends_at:
        zone = ZoneInfo(session.meeting.timezone)
        ends = session.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        raise Conflict(
            f"this session is scheduled to end at {ends} ({session.meeting.timezone}); it can "
            "be signed only after it has ended"
        )


def _issue(
    entry: RosterEntry,
    attendee: Attendee,
    session: MeetingSession,
    facilitator: User,
    issued_at: datetime,
    signer: tuple[str, object],
) -> AttendanceRecord:
    person = entry.participant
    meeting = session.meeting
    slip = Slip(
        code=new_code(),
        # Exactly the name the roster showed the facilitator, never one the page set later.
        name=person.name,
        meeting=meeting.name,
        program=meeting.program,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        timezone=meeting.timezone,
        present_minutes=entry.presence.minutes,
        facilitator=facilitator.display_name,
        facilitator_id=facilitator.public_id,
        issued_at=issued_at,
        language=attendee.language,
    )
    kid, private_key = signer
    issuer = current_app.config["BASE_URL"]
    token = slip_token.sign(
        slip_token.slip_claims(slip, issuer), private_key, kid, slip_token.SLIP_TYP
    )
    if not qr_fits(links.verify_url(token)):
        raise Unprocessable(
            f"the name {person.name!r} with this meeting's name is too long to fit in a slip's "
            "QR code; shorten the name and sign again",
            field="name",
        )
    record = AttendanceRecord(
        id=new_id(),
        code=slip.code,
        session_id=session.id,
        participant_id=person.id,
        attendee=attendee,
        name=slip.name,
        present_minutes=slip.present_minutes,
        token=token,
        kid=kid,
        issued_at=issued_at,
    )
    db.session.add(record)
    if person.email:
        outbox.enqueue("slip", person.email, attendee.language, record_id=record.id)
    return record


def _audit_signing(session: MeetingSession, user: User, records: list[AttendanceRecord]) -> None:
    # One lock of the chain head for all events, and no autoflush: the commit writes them all.
    with db.session.no_autoflush:
        audit.record_events(
            [
                audit.AuditEvent(
                    "session.finalized", user.email, session.id, {"records": len(records)}
                ),
                *(
                    audit.AuditEvent(
                        "record.issued", user.email, record.code, {"session": session.id}
                    )
                    for record in records
                ),
            ]
        )


def finalize_session(user: User, session_id: str) -> list[AttendanceRecord]:
    """Issue a signed record for every qualifying person and lock the session, all or nothing."""
    session = session_for(user, session_id, for_update=True)
    require_open(session)
    now = clock.now().replace(microsecond=0)
    _require_ended(session, now)
    signer = keyring.current_signer(current_app.config["KEYS_DIR"])
    try:
        _claim_for_signing(session, user, now)
        entries = [entry for entry in roster(session) if entry.issues_slip]
        attendees = _pages_for([entry.participant for entry in entries])
        db.session.flush()  # new attendees get their ids and defaults (language), in one go
        records = [
            _issue(entry, attendee, session, user, now, signer)
            for entry, attendee in zip(entries, attendees, strict=True)
        ]
        _audit_signing(session, user, records)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return records
