"""An attendee's own page: every signed record, any time, as often as needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from compliance.domain.people import name_key
from compliance.domain.slips.slip import Slip
from compliance.domain.verdict import Status, standing_of
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, MeetingSession, Participant
from compliance.models.meetings import SessionStatus
from compliance.services import audit, keyring, links
from compliance.services.attendance import clean_attendee_name
from compliance.services.errors import InvalidInput
from compliance.services.slip_room import check_fits_on_slip
from compliance.services.slips import slip_of

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class AttendeeRecord:
    """One record as its attendee sees it: what was signed, and its standing now."""

    record: AttendanceRecord
    slip: Slip
    status: Status  # valid, revoked or key_revoked
    reason: str | None

    @property
    def day(self) -> date:
        return self.slip.local_start.date()

    @property
    def slip_url(self) -> str:
        return links.slip_url(self.record.id)


def attendee_for_link(link: str) -> Attendee | None:
    """Return the attendee a signed page link belongs to; None for a bad or retired link."""
    value = links.read_link(links.ATTENDEE_PAGE, link)
    if not value:
        return None
    attendee_id, _, version = value.partition(":")
    attendee = db.session.get(Attendee, attendee_id)
    if attendee is None or str(attendee.link_version or "") != version:
        return None
    return attendee


def rotate_link(attendee: Attendee) -> str:
    """Give the page a new link; every older link (in old emails, say) stops working."""
    attendee.link_version = (attendee.link_version or 0) + 1
    audit.record_event("page.link_rotated", f"attendee:{attendee.id}", f"attendee:{attendee.id}")
    db.session.commit()
    return links.attendee_url(attendee)


def records_of(attendee: Attendee) -> list[AttendeeRecord]:
    """Return every record of the attendee, newest meeting first, with its current status."""
    keys = keyring.verification_keys()
    rows = db.session.scalars(
        sa.select(AttendanceRecord).where(AttendanceRecord.attendee_id == attendee.id)
    ).all()
    shown = []
    for record in rows:
        standing = standing_of(keys.get(record.kid), record)
        shown.append(AttendeeRecord(record, slip_of(record), standing.status, standing.reason))
    return sorted(shown, key=lambda r: (r.slip.starts_at, r.record.code), reverse=True)


def records_between(attendee: Attendee, date_from: date, date_to: date) -> list[AttendeeRecord]:
    """Return the attendee's valid records whose meeting date (in its own zone) is in range."""
    return sorted(
        (
            r
            for r in records_of(attendee)
            if r.status is Status.VALID and date_from <= r.day <= date_to
        ),
        key=lambda r: (r.slip.starts_at, r.record.code),
    )


def set_slip_name(attendee: Attendee, name: str) -> None:
    """Change the name printed on future slips; issued slips never change.

    Roster entries of this page in sessions not yet signed take the name at once, so the
    facilitator sees the name that will be printed before signing.
    """
    name = clean_attendee_name(name)
    unsigned = db.session.scalars(
        sa.select(Participant)
        .join(MeetingSession, Participant.session_id == MeetingSession.id)
        .where(Participant.attendee_id == attendee.id, MeetingSession.status == SessionStatus.OPEN)
    ).all()
    for person in unsigned:
        check_fits_on_slip(person.session, name)
    for person in unsigned:
        person.name, person.name_key, person.name_source = name, name_key(name), "page"
    attendee.slip_name = name
    db.session.commit()


def set_language(attendee: Attendee, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput("language", f"language must be one of {', '.join(LANGUAGES)}")
    attendee.language = language
    db.session.commit()


def check_range(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """Refuse a missing or backwards date range, or one longer than ten years."""
    if date_from is None:
        raise InvalidInput("from", "from must be a date like 2025-01-31")
    if date_to is None:
        raise InvalidInput("to", "to must be a date like 2025-03-31")
    if date_to < date_from:
        raise InvalidInput("to", "to must not be before from")
    if (date_to - date_from).days > 3660:
        raise InvalidInput("to", "a summary can cover at most ten years")
    return date_from, date_to


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None
