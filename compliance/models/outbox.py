"""Mail waiting to go out, written in the same transaction as what causes it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting, or waiting to be retried at next_attempt_at
    SENDING = "sending"  # claimed by a sender until claimed_until
    SENT = "sent"
    FAILED = "failed"  # gave up after the last try; an admin may retry it


class OutboxMessage(db.Model):
    """One message to one address. Bodies are made at sending from `kind` and `params` (ids
    only), so links are signed with the secret of the day and no page link sits in the table."""

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    kind: so.Mapped[str] = so.mapped_column(sa.String(24))
    to_address: so.Mapped[str] = so.mapped_column(sa.String(254))
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="en")
    params: so.Mapped[str] = so.mapped_column(sa.Text, default="{}")
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=MailStatus.QUEUED)
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    claimed_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
