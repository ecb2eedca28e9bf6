"""Delivering the outbox: claim what is due, send it over one SMTP connection, record each
outcome as it happens. Safe to run from cron and from several hosts at once.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (two senders never take
the same row) and marked "sending" with a lease, so a sender that dies mid-batch leaves its
rows to be taken again when the lease runs out. A message is marked sent right after the
server accepted it: nothing is sent twice short of a crash between those two steps.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import OutboxMessage
from compliance.models.outbox import MailStatus
from compliance.models.types import utcnow
from compliance.services.mail_content import NothingToSend, build
from compliance.services.mail_transport import smtp_server

BATCH = 100
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# The connection or the server went away: every message still in hand waits for a retry.
CONNECTION_TROUBLE = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


@dataclass
class Delivery:
    """What one run did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors += other.errors


def backoff(attempts: int) -> timedelta:
    """Return how long to wait after the given number of tries: 1, 2, 4 … minutes, at most 6 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _due(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim(now: datetime, limit: int = BATCH) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this sender, committed as "sending" with a lease.

    Each row is taken by an update that checks it is still due, so two senders never both
    take one, on any database; on PostgreSQL SKIP LOCKED also keeps them from waiting on each
    other's rows.
    """
    query = sa.select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.created_at)
    query = query.limit(limit)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    taken = []
    for message_id in db.session.scalars(query).all():
        claimed = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _due(now))
            .values(
                status=MailStatus.SENDING,
                claimed_until=now + LEASE,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            taken.append(message_id)
    db.session.commit()
    if not taken:
        return []
    rows = sa.select(OutboxMessage).where(OutboxMessage.id.in_(taken))
    return list(db.session.scalars(rows.order_by(OutboxMessage.created_at)))


def _sent(row: OutboxMessage) -> None:
    row.status, row.sent_at = MailStatus.SENT, utcnow()
    row.claimed_until = row.last_error = None
    db.session.commit()


def _not_sent(row: OutboxMessage, error: str, result: Delivery, *, permanent=False) -> None:
    row.last_error = error[:500]
    row.claimed_until = None
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = MailStatus.FAILED
        result.failed += 1
    else:
        row.status, row.next_attempt_at = MailStatus.QUEUED, utcnow() + backoff(row.attempts)
        result.retrying += 1
    db.session.commit()


def _send_batch(rows: list[OutboxMessage], result: Delivery, progress: Callable) -> bool:
    """Send the rows over one connection; return False when the server could not be reached
    or went away (what is left waits for the next run)."""
    try:
        connection = smtp_server().connect()
    except (*CONNECTION_TROUBLE, smtplib.SMTPException) as error:
        result.errors.append(f"cannot reach the mail server: {error}")
        for row in rows:
            _not_sent(row, f"cannot reach the mail server: {error}", result)
        return False
    with connection:
        for position, row in enumerate(rows):
            try:
                connection.send_message(build(row))
            except NothingToSend as error:
                _not_sent(row, str(error), result, permanent=True)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                refused = f"the server refused the address: {error.recipients}"
                _not_sent(row, refused, result, permanent=min(codes, default=0) >= 500)
            except smtplib.SMTPResponseException as error:
                answer = f"the server answered {error.smtp_code}: {error.smtp_error!r}"
                _not_sent(row, answer, result, permanent=error.smtp_code >= 500)
            except CONNECTION_TROUBLE as error:
                result.errors.append(f"the mail server went away: {error}")
                for left in rows[position:]:
                    _not_sent(left, f"the mail server went away: {error}", result)
                return False
            else:
                _sent(row)
                result.sent += 1
            progress(1)
    return True


def deliver_due(progress: Callable = lambda done: None, batch: int = BATCH) -> Delivery:
    """Send everything due, batch after batch; stop at the first batch the server refuses."""
    result = Delivery()
    while True:
        rows = claim(utcnow(), batch)
        if not rows or not _send_batch(rows, result, progress):
            return result
