"""Case mail through the outbox: an officer's weekly digest of cases that fell behind, and an
attendee's reminder when a weekly period is about to close short. Both can be turned off.

`flask --app compliance cases notify` queues what is due (cron, daily); `mail send` or the mail
worker delivers it. Each message is queued once: a digest once per officer and ISO week, a
reminder once per consent and period, however often the command runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from compliance.domain.cases.progress import PER_WEEK, CaseStatus, closing_short
from compliance.extensions import db
from compliance.models import Attendee, Case, CaseConsent, OutboxMessage, User
from compliance.models.accounts import Role
from compliance.services import caseload, outbox
from compliance.services.cases import progress_of, terms_of, today
from compliance.services.mail_transport import mail_enabled

DIGEST, REMINDER = "case_digest", "case_reminder"


@dataclass(frozen=True)
class Queued:
    digests: int
    reminders: int


def _queued_before(kind: str, to_address: str, params: dict) -> bool:
    return (
        db.session.scalar(
            sa.select(OutboxMessage.id).where(
                OutboxMessage.kind == kind,
                OutboxMessage.to_address == to_address,
                OutboxMessage.params == json.dumps(params, sort_keys=True),
            )
        )
        is not None
    )


def _queue_once(kind: str, to_address: str, language: str, **params: str) -> bool:
    if _queued_before(kind, to_address, params):
        return False
    return outbox.enqueue(kind, to_address, language, **params) is not None


def _digests(day: date) -> int:
    year, week, _ = day.isocalendar()
    officers = db.session.scalars(
        sa.select(User).where(User.role == Role.OFFICER, User.active, User.case_digest)
    ).all()
    queued = 0
    for officer in officers:
        if any(row.status is CaseStatus.BEHIND for row in caseload.caseload_of(officer)):
            week_id = f"{year}-W{week:02d}"
            queued += _queue_once(DIGEST, officer.email, "en", officer_id=officer.id, week=week_id)
    return queued


def _reminders(day: date) -> int:
    rows = db.session.execute(
        sa.select(CaseConsent, Case, Attendee)
        .join(Case, CaseConsent.case_id == Case.id)
        .join(Attendee, CaseConsent.attendee_id == Attendee.id)
        .where(
            CaseConsent.withdrawn_at.is_(None),
            Case.requirement_kind == PER_WEEK,
            Attendee.case_reminders,
            Attendee.email.is_not(None),
            Attendee.email_proven_at.is_not(None),
        )
    ).all()
    queued = 0
    for consent, case, attendee in rows:
        terms = terms_of(case)
        if not terms.starts_on <= day <= terms.ends_on:
            continue
        period = closing_short(progress_of(terms, attendee).periods, day)
        if period is not None:
            queued += _queue_once(
                REMINDER, attendee.email, attendee.language,
                consent_id=consent.id, period=period.date_from.isoformat(),
            )  # fmt: skip
    return queued


def queue_case_mail() -> Queued:
    """Queue the digests and reminders due today; nothing when the service sends no mail."""
    if not mail_enabled():
        return Queued(0, 0)
    day = today()
    queued = Queued(_digests(day), _reminders(day))
    db.session.commit()
    return queued


def set_digest(officer: User, on: bool) -> None:
    officer.case_digest = on
    db.session.commit()


def set_reminders(attendee: Attendee, on: bool) -> None:
    attendee.case_reminders = on
    db.session.commit()
