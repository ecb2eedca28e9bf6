"""Signed attendance records and the attendees they belong to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class Attendee(db.Model):
    """A person across sessions: one private attendance page, many records."""

    __tablename__ = "attendees"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    # Set on the attendee's page: printed on future slips instead of the name they check in with.
    slip_name: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254), unique=True)
    # When a link sent to the email was followed. Until then the email links nothing.
    email_proven_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="en")
    # Raised when the owner rotates their page link: links made for an older one stop working.
    link_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # An email when a weekly period of a linked case is about to close short (can be turned off).
    case_reminders: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    records: so.Mapped[list[AttendanceRecord]] = so.relationship(back_populates="attendee")


class AttendanceRecord(db.Model):
    """One issued slip. The token is the slip: every field an officer sees is signed in it."""

    __tablename__ = "attendance_records"
    __table_args__ = (
        # What an officer's caseload reads to know a page's records changed, without the
        # tokens: read from the index alone.
        sa.Index(
            "ix_attendance_records_page_standing",
            "attendee_id",
            "created_at",
            "revoked_at",
            "present_minutes",
        ),
    )

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    session_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("meeting_sessions.id"), index=True)
    participant_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("participants.id"))
    attendee_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("attendees.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    present_minutes: so.Mapped[int] = so.mapped_column()
    token: so.Mapped[str] = so.mapped_column(sa.Text)
    kid: so.Mapped[str] = so.mapped_column(sa.ForeignKey("signing_keys.kid"))
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    attendee: so.Mapped[Attendee] = so.relationship(back_populates="records")
