"""Forgetting what never became evidence: check-ins and report rows with no signed record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import (
    AttendanceRecord,
    Attendee,
    CaseConsent,
    Interval,
    MeetingSession,
    OutboxMessage,
    Participant,
)
from compliance.models.outbox import MailStatus
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.progress import SILENT, Progress

DEFAULT_KEEP_DAYS = 30
BATCH = 500  # ids per DELETE: well under every database's limit on bound parameters


@dataclass(frozen=True)
class PurgeReport:
    participants: int
    intervals: int
    attendees: int
    mails: int = 0


def _unrecorded_participants(cutoff):
    """Participants of sessions that ended before the cutoff and who got no record."""
    has_record = sa.exists().where(AttendanceRecord.participant_id == Participant.id)
    return (
        sa.select(Participant.id)
        .join(MeetingSession, MeetingSession.id == Participant.session_id)
        .where(MeetingSession.ends_at < cutoff, ~has_record)
    )


def _orphan_attendees(cutoff):
    """Attendees made at check-in who never received a record and are referenced by no one.
    A page with a proven address stays: its owner can still be sent its link; so does a page
    linked to an officer's case."""
    has_record = sa.exists().where(AttendanceRecord.attendee_id == Attendee.id)
    referenced = sa.exists().where(Participant.attendee_id == Attendee.id)
    consented = sa.exists().where(CaseConsent.attendee_id == Attendee.id)
    return sa.select(Attendee.id).where(
        Attendee.created_at < cutoff,
        Attendee.email_proven_at.is_(None),
        ~has_record,
        ~referenced,
        ~consented,
    )


def purge_unrecorded(
    keep_days: int = DEFAULT_KEEP_DAYS, progress: Progress = SILENT
) -> PurgeReport:
    """Delete check-ins and imported rows older than `keep_days` that never became a record,
    in one transaction: an interrupted purge deletes nothing."""
    if keep_days < 1:
        raise ValueError("keep at least one day")
    cutoff = utcnow() - timedelta(days=keep_days)
    progress.begin("Finding participants without a record")
    people = list(db.session.scalars(_unrecorded_participants(cutoff)))
    progress.begin("Deleting participants without a record and their intervals", len(people))
    intervals = 0
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        intervals += db.session.execute(
            sa.delete(Interval).where(Interval.participant_id.in_(batch))
        ).rowcount
        db.session.execute(sa.delete(Participant).where(Participant.id.in_(batch)))
        progress.advance(len(batch))
    progress.begin("Finding and deleting attendee pages without records")
    orphans = list(db.session.scalars(_orphan_attendees(cutoff)))
    for start in range(0, len(orphans), BATCH):
        db.session.execute(
            sa.delete(Attendee).where(Attendee.id.in_(orphans[start : start + BATCH]))
        )
    progress.begin("Deleting mail sent or given up on")
    mails = db.session.execute(
        sa.delete(OutboxMessage).where(
            OutboxMessage.status.in_([MailStatus.SENT, MailStatus.FAILED]),
            OutboxMessage.created_at < cutoff,
        )
    ).rowcount
    progress.begin("Committing")
    report = PurgeReport(len(people), intervals, len(orphans), mails)
    audit.record_event(
        "retention.purged", "operator", None, {"keep_days": keep_days, **report.__dict__}
    )
    db.session.commit()
    return report
