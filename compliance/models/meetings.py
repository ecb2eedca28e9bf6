"""Meetings, their sessions, and who was present when."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow

meeting_facilitators = sa.Table(
    "meeting_facilitators",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)


class SessionStatus(enum.StrEnum):
    OPEN = "open"
    FINALIZED = "finalized"
    CANCELLED = "cancelled"  # opened by mistake, or the meeting did not happen: nothing to sign


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    program: so.Mapped[str] = so.mapped_column(sa.String(40))
    platform: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64))
    min_presence_percent: so.Mapped[int] = so.mapped_column(default=80)
    # The usual weekly slot, in the meeting's zone: pre-fills the form that opens a session.
    usual_start: so.Mapped[time | None] = so.mapped_column(sa.Time)
    usual_minutes: so.Mapped[int | None] = so.mapped_column()
    # Set when the meeting repeats every week on this day (0 = Monday) at the usual slot:
    # its next sessions are then opened on their own (services/schedule.py).
    weekly_day: so.Mapped[int | None] = so.mapped_column()
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    facilitators: so.Mapped[list[User]] = so.relationship(secondary=meeting_facilitators)  # noqa: F821
    sessions: so.Mapped[list[MeetingSession]] = so.relationship(back_populates="meeting")


class MeetingSession(db.Model):
    __tablename__ = "meeting_sessions"
    # One session per weekly occurrence, however many requests open it at once.
    __table_args__ = (sa.UniqueConstraint("meeting_id", "occurrence_date"),)

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    meeting_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("meetings.id"), index=True)
    starts_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    ends_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    checkin_code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    checkout_code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=SessionStatus.OPEN)
    finalized_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    finalized_by_id: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey("users.id"))
    # Check-out works only once the facilitator has shown the code, near the end of the meeting.
    checkout_revealed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # The weekly occurrence (a date in the meeting's zone) this session was opened for.
    occurrence_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="sessions")
    participants: so.Mapped[list[Participant]] = so.relationship(
        back_populates="session", order_by="Participant.created_at"
    )


class Participant(db.Model):
    """One person in one session's roster, before anything is signed."""

    __tablename__ = "participants"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    session_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("meeting_sessions.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    name_key: so.Mapped[str] = so.mapped_column(sa.String(320))
    # Stored folded to lower case: it is only ever used to recognise the same person.
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    reported_total_seconds: so.Mapped[int | None] = so.mapped_column()
    is_host: so.Mapped[bool] = so.mapped_column(default=False)
    excluded_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # Where the name came from: "checkin" (typed), "page" (the attendee's page), "report",
    # "manual". The roster shows it; the slip prints exactly this name.
    name_source: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    # Whose attendance page the record joins, set only on proof (see services/identity.py).
    attendee_id: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey("attendees.id"))
    # That proof: "checkin" (the page was made by this check-in and its link shown to it),
    # "page" (checked in from the page itself, so with its link).
    attendee_via: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    # Set when the facilitator decided a host gets a slip after all: why.
    host_slip_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # The participant report that added this person, so undoing it removes them too.
    import_id: so.Mapped[str | None] = so.mapped_column(sa.ForeignKey("report_imports.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    session: so.Mapped[MeetingSession] = so.relationship(back_populates="participants")
    attendee: so.Mapped[Attendee | None] = so.relationship()  # noqa: F821
    intervals: so.Mapped[list[Interval]] = so.relationship(
        back_populates="participant", order_by="Interval.joined_at"
    )


class Interval(db.Model):
    """A stretch of presence and where it came from (check-in, a report, by hand)."""

    __tablename__ = "intervals"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    participant_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("participants.id"), index=True)
    joined_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    left_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    source: so.Mapped[str] = so.mapped_column(sa.String(16))
    note: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    import_id: so.Mapped[str | None] = so.mapped_column(
        sa.ForeignKey("report_imports.id"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    participant: so.Mapped[Participant] = so.relationship(back_populates="intervals")


class SkippedOccurrence(db.Model):
    """A week the meeting does not take place: no session is opened for it."""

    __tablename__ = "skipped_occurrences"

    meeting_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("meetings.id"), primary_key=True)
    on_date: so.Mapped[date] = so.mapped_column(sa.Date, primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class ReportImport(db.Model):
    """One participant report imported into a session: what it added can be taken back whole."""

    __tablename__ = "report_imports"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    session_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("meeting_sessions.id"), index=True)
    user_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("users.id"))
    format: so.Mapped[str] = so.mapped_column(sa.String(16))
    rows: so.Mapped[int] = so.mapped_column()
    participants: so.Mapped[int] = so.mapped_column()
    # What the import changed on people already in the roster (email, host, reported total),
    # as JSON, to put back on undo.
    restore: so.Mapped[str] = so.mapped_column(sa.Text, default="[]")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


from compliance.models.accounts import User  # noqa: E402
from compliance.models.records import Attendee  # noqa: E402
