"""The audit log: an append-only hash chain, its head, and signatures over the head."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    seq: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    event: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    actor: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    subject: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    details: so.Mapped[str] = so.mapped_column(sa.Text, default="{}")
    prev_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    hash: so.Mapped[str] = so.mapped_column(sa.String(64))


class AuditHead(db.Model):
    """One row: the newest entry. Locking it serialises appends across hosts."""

    __tablename__ = "audit_head"

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    seq: so.Mapped[int] = so.mapped_column(default=0)
    hash: so.Mapped[str] = so.mapped_column(sa.String(64))


class AuditHeadSignature(db.Model):
    """The chain head signed by the current key, so truncating the log shows too."""

    __tablename__ = "audit_head_signatures"

    seq: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    token: so.Mapped[str] = so.mapped_column(sa.Text)
    signed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
