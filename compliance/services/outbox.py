"""The outbox: mail is queued in the caller's transaction, never sent from a request."""

from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import OutboxMessage
from compliance.models.outbox import MailStatus
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.errors import Conflict, NotFound
from compliance.services.mail_transport import mail_enabled


def enqueue(kind: str, to_address: str, language: str, **params: str) -> OutboxMessage | None:
    """Queue a message in the current transaction (the caller commits); None when mail is off."""
    if not mail_enabled():
        return None
    message = OutboxMessage(
        kind=kind,
        to_address=to_address,
        language=language if language in ("en", "es") else "en",
        params=json.dumps(params, sort_keys=True),
        status=MailStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


def status_counts() -> dict[str, int]:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    )
    counts = Counter({status.value: 0 for status in MailStatus})
    counts.update(dict(rows.all()))
    return dict(counts)


def recent(limit: int = 200) -> list[OutboxMessage]:
    """Return the newest messages, for the admin's view (addresses and states, no bodies)."""
    query = sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(limit)
    return list(db.session.scalars(query))


def retry(message_id: str, actor: str) -> OutboxMessage:
    """Put a message that gave up back in the queue, due now, with a fresh count of tries."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("no message with this id")
    if message.status != MailStatus.FAILED:
        raise Conflict("only a message that failed can be retried")
    message.status, message.attempts, message.next_attempt_at = MailStatus.QUEUED, 0, utcnow()
    audit.record_event("mail.retried", actor, message.id, {"kind": message.kind})
    db.session.commit()
    return message
