"""Proving an email address: a link sent to it, followed. Only then does the address join
records to a page (see services/identity rules in the README).

Following the link joins that one person's entry (and its record, once signed) to the page of
the proven address: the page that already proved it, else the entry's own page, else a new
one. Nothing joins by a typed address alone.
"""

from __future__ import annotations

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, Participant
from compliance.models.types import utcnow
from compliance.services import audit, links

EMAIL_PROOF = "email-proof"
PROOF_DAYS = 366  # a slip email may be opened months later


def confirm_url(participant_id: str, email: str) -> str:
    """Return the link that proves `email` for this person's entry when followed."""
    token = links.sign_expiring_link(EMAIL_PROOF, [participant_id, email])
    return links.absolute(f"/me/confirm/{token}")


def proven_page(email: str) -> Attendee | None:
    return db.session.scalar(
        sa.select(Attendee).where(Attendee.email == email, Attendee.email_proven_at.is_not(None))
    )


def _page_to_prove(person: Participant, email: str) -> Attendee:
    """Return the page the proven address belongs to from now on."""
    page = proven_page(email)
    if page is not None:
        return page
    # An address left on a page from before proofs existed proves nothing: take it off.
    db.session.execute(
        sa.update(Attendee).where(Attendee.email == email).values(email=None)
    )
    current = person.attendee
    if current is None or current.email is not None:
        current = Attendee(name=person.name, language=current.language if current else "en")
        db.session.add(current)
    current.email, current.email_proven_at = email, utcnow()
    return current


def prove(token: str) -> Attendee | None:
    """Follow a proof link: return the page the person's entry now belongs to, or None."""
    value = links.read_expiring_link(EMAIL_PROOF, token, PROOF_DAYS * 86400)
    if not isinstance(value, list) or len(value) != 2:
        return None
    person = db.session.get(Participant, str(value[0]))
    email = str(value[1])
    if person is None or person.email != email:
        return None
    page = _page_to_prove(person, email)
    db.session.flush()
    person.attendee_id, person.attendee_via = page.id, "email"
    db.session.execute(
        sa.update(AttendanceRecord)
        .where(AttendanceRecord.participant_id == person.id)
        .values(attendee_id=page.id)
    )
    audit.record_event("email.proven", f"attendee:{page.id}", f"participant:{person.id}")
    db.session.commit()
    return page
