"""Signing a session: one transaction issues every qualifying person's record and locks it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from compliance.domain import slip_token
from compliance.domain.codes import new_code
from compliance.domain.slip import Slip
from compliance.domain.slip_pdf import qr_fits
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, MeetingSession, Participant, User
from compliance.models.meetings import SessionStatus
from compliance.models.types import utcnow
from compliance.services import audit, keyring, links
from compliance.services.attendance import RosterEntry, require_open, roster
from compliance.services.errors import Conflict, Unprocessable
from compliance.services.meetings import session_for


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


class Attendees:
    """The attendees a signing can join records to, read up front in a few queries (not two
    per person); attendees made or given an email during the signing are remembered."""

    CHUNK = 500  # ids or emails per IN (...), well under every database's parameter limit

    def __init__(self, people: list[Participant]):
        self.by_email: dict[str, Attendee] = {}
        self.by_id: dict[str, Attendee] = {}
        emails = sorted({p.email for p in people if p.email})
        ids = sorted({p.attendee_id for p in people if p.attendee_id})
        for start in range(0, len(emails), self.CHUNK):
            chunk = emails[start : start + self.CHUNK]
            for attendee in db.session.scalars(
                sa.select(Attendee).where(Attendee.email.in_(chunk))
            ):
                self.by_email[attendee.email] = attendee
        for start in range(0, len(ids), self.CHUNK):
            chunk = ids[start : start + self.CHUNK]
            for attendee in db.session.scalars(sa.select(Attendee).where(Attendee.id.in_(chunk))):
                self.by_id[attendee.id] = attendee

    def attendee_for(self, person: Participant) -> Attendee:
        """Return whose page this record joins: the attendee remembered in their browser at
        check-in, else the one with the same email, else a new attendee."""
        by_email = self.by_email.get(person.email) if person.email else None
        if person.attendee_id:
            remembered = self.by_id.get(person.attendee_id) or db.session.get(
                Attendee, person.attendee_id
            )
            if remembered is not None:
                if remembered.email is None and person.email and by_email is None:
                    remembered.email = person.email
                    self.by_email[person.email] = remembered
                return remembered
        if by_email is not None:
            return by_email
        attendee = Attendee(name=person.name, email=person.email)
        db.session.add(attendee)
        if person.email:
            self.by_email[person.email] = attendee
        return attendee


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
        name=attendee.slip_name or person.name,
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
    now = utcnow().replace(microsecond=0)
    signer = keyring.current_signer(current_app.config["KEYS_DIR"])
    try:
        _claim_for_signing(session, user, now)
        entries = [entry for entry in roster(session) if entry.issues_slip]
        known = Attendees([entry.participant for entry in entries])
        attendees = [known.attendee_for(entry.participant) for entry in entries]
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
