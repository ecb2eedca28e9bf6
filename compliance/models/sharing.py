"""Signed summaries an attendee made, and the share links they gave an officer."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class SummaryDocument(db.Model):
    """A summary as signed: which records it lists and the token that signs their digest."""

    __tablename__ = "summaries"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    attendee_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("attendees.id"), index=True)
    date_from: so.Mapped[date] = so.mapped_column(sa.Date)
    date_to: so.Mapped[date] = so.mapped_column(sa.Date)
    # Space-separated record codes, in the order the summary lists them.
    codes: so.Mapped[str] = so.mapped_column(sa.Text)
    digest: so.Mapped[str] = so.mapped_column(sa.String(64))
    token: so.Mapped[str] = so.mapped_column(sa.Text)
    kid: so.Mapped[str] = so.mapped_column(sa.ForeignKey("signing_keys.kid"))
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="en")
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    # Set for an officer's compliance report: the same signed list, of the records that count.
    case_id: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey("cases.id"), index=True)

    @property
    def code_list(self) -> list[str]:
        return self.codes.split()


class ShareLink(db.Model):
    """Read-only, revocable access for an officer to one attendee's summary over a period."""

    __tablename__ = "share_links"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    attendee_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("attendees.id"), index=True)
    label: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    date_from: so.Mapped[date] = so.mapped_column(sa.Date)
    date_to: so.Mapped[date] = so.mapped_column(sa.Date)
    expires_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Opens are counted, not logged one row each: strangers holding the link cannot grow the
    # database (or the audit log) without bound.
    open_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    last_opened_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    opens: so.Mapped[list[ShareLinkOpen]] = so.relationship(
        back_populates="share_link", order_by="ShareLinkOpen.opened_at.desc()"
    )


class ShareLinkOpen(db.Model):
    """When an officer opened a share link (before opens were counted on the link itself)."""

    __tablename__ = "share_link_opens"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    share_link_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("share_links.id"), index=True)
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    share_link: so.Mapped[ShareLink] = so.relationship(back_populates="opens")
