"""Meetings and their sessions, always reached through a facilitator who runs them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from compliance.domain.codes import new_code
from compliance.domain.programs import canonical_program, is_known_timezone
from compliance.extensions import db
from compliance.models import AttendanceRecord, Meeting, MeetingSession, User
from compliance.models.accounts import Role
from compliance.models.meetings import SessionStatus, meeting_facilitators
from compliance.services.errors import InvalidInput, NotFound
from compliance.services.printed import clean_printed

MAX_SESSION_LENGTH = timedelta(hours=12)
# Printed lengths, once spacing is tidied.
MEETING_NAME_MAX, PROGRAM_MAX, PLATFORM_MAX = 80, 40, 40
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def create_meeting(
    facilitator: User,
    name: str,
    program: str,
    timezone: str,
    min_presence_percent: int = 80,
    platform: str | None = None,
) -> Meeting:
    """Add a meeting run by this facilitator."""
    name = clean_printed("name", name, MEETING_NAME_MAX)
    program = canonical_program(clean_printed("program", program, PROGRAM_MAX))
    if not is_known_timezone(timezone):
        raise InvalidInput(
            "timezone", f"timezone must be an IANA zone such as Europe/London, not {timezone!r}"
        )
    if not 1 <= min_presence_percent <= 100:
        raise InvalidInput("min_presence_percent", "min_presence_percent must be 1 to 100")
    meeting = Meeting(
        name=name,
        program=program,
        timezone=timezone,
        min_presence_percent=min_presence_percent,
        platform=clean_printed("platform", platform, PLATFORM_MAX) if platform else None,
        facilitators=[facilitator],
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _runs(user: User):
    """Restrict a query to meetings this user runs (admins run none by default)."""
    return sa.exists().where(
        meeting_facilitators.c.meeting_id == Meeting.id,
        meeting_facilitators.c.user_id == user.id,
    )


def meeting_for(user: User, meeting_id: str) -> Meeting:
    """Return a meeting this user runs; any other id is simply not found."""
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.id == meeting_id, _runs(user)))
    if meeting is None or user.role not in (Role.FACILITATOR, Role.ADMIN):
        raise NotFound("no meeting with this id")
    return meeting


def session_for(user: User, session_id: str, *, for_update: bool = False) -> MeetingSession:
    """Return a session of a meeting this user runs; any other id is simply not found."""
    query = (
        sa.select(MeetingSession).join(Meeting).where(MeetingSession.id == session_id, _runs(user))
    )
    if for_update:
        query = query.with_for_update(of=MeetingSession)
    session = db.session.scalar(query)
    if session is None:
        raise NotFound("no session with this id")
    return session


def check_window(starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a scheduled window that is backwards, too long, or out of range."""
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value.tzinfo is None:
            raise InvalidInput(field, f"{field} needs a UTC offset, e.g. 2025-03-04T19:00:00-06:00")
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput(field, f"{field} must be between 2000 and 2100")
    if ends_at <= starts_at:
        raise InvalidInput("ends_at", "ends_at must be after starts_at")
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise InvalidInput("ends_at", "a session can last at most 12 hours")


def open_session(
    user: User, meeting_id: str, starts_at: datetime, ends_at: datetime
) -> MeetingSession:
    """Schedule a session of a meeting; attendees can check in while it is open."""
    meeting = meeting_for(user, meeting_id)
    check_window(starts_at, ends_at)
    session = MeetingSession(
        meeting=meeting,
        starts_at=starts_at.astimezone(UTC),
        ends_at=ends_at.astimezone(UTC),
        checkin_code=new_code(),
        checkout_code=new_code(),
    )
    db.session.add(session)
    db.session.commit()
    return session


MAX_USUAL_MINUTES = int(MAX_SESSION_LENGTH.total_seconds() // 60)


def meetings_of(user: User) -> list[Meeting]:
    """Return the meetings this user runs, by name."""
    return list(db.session.scalars(sa.select(Meeting).where(_runs(user)).order_by(Meeting.name)))


def unsigned_sessions_of(user: User) -> list[MeetingSession]:
    """Return the not-yet-signed sessions of meetings this user runs, soonest first."""
    query = (
        sa.select(MeetingSession)
        .join(Meeting)
        .where(_runs(user), MeetingSession.status == SessionStatus.OPEN)
        .order_by(MeetingSession.starts_at)
    )
    return list(db.session.scalars(query))


def sessions_of(meeting: Meeting) -> list[MeetingSession]:
    """Return a meeting's sessions, newest first."""
    return sorted(meeting.sessions, key=lambda s: s.starts_at, reverse=True)


def _check_usual_slot(usual_start: time | None, usual_minutes: int | None) -> None:
    if usual_minutes is not None and not 1 <= usual_minutes <= MAX_USUAL_MINUTES:
        raise InvalidInput("usual_minutes", f"the length must be 1 to {MAX_USUAL_MINUTES} minutes")
    if usual_start is not None and usual_start.tzinfo is not None:
        raise InvalidInput("usual_start", "the usual start is a wall-clock time, without a zone")


def set_usual_slot(
    user: User, meeting_id: str, usual_start: time | None, usual_minutes: int | None
) -> Meeting:
    """Remember when a meeting usually starts and how long it lasts, to pre-fill new sessions."""
    meeting = meeting_for(user, meeting_id)
    _check_usual_slot(usual_start, usual_minutes)
    meeting.usual_start = usual_start
    meeting.usual_minutes = usual_minutes
    db.session.commit()
    return meeting


def update_meeting(
    user: User,
    meeting_id: str,
    *,
    name: str,
    program: str,
    timezone: str,
    min_presence_percent: int,
    platform: str | None = None,
    usual_start: time | None = None,
    usual_minutes: int | None = None,
) -> Meeting:
    """Change a meeting's details; sessions already signed keep what their slips say."""
    meeting = meeting_for(user, meeting_id)
    name = clean_printed("name", name, MEETING_NAME_MAX)
    program = canonical_program(clean_printed("program", program, PROGRAM_MAX))
    if not is_known_timezone(timezone):
        raise InvalidInput(
            "timezone", f"timezone must be an IANA zone such as Europe/London, not {timezone!r}"
        )
    if not 1 <= min_presence_percent <= 100:
        raise InvalidInput("min_presence_percent", "min_presence_percent must be 1 to 100")
    _check_usual_slot(usual_start, usual_minutes)
    meeting.name = name
    meeting.program = program
    meeting.timezone = timezone
    meeting.min_presence_percent = min_presence_percent
    meeting.platform = clean_printed("platform", platform, PLATFORM_MAX) if platform else None
    meeting.usual_start = usual_start
    meeting.usual_minutes = usual_minutes
    db.session.commit()
    return meeting


def add_facilitator(user: User, meeting_id: str, email: str) -> User:
    """Let another facilitator run this meeting too (they must already have an account)."""
    meeting = meeting_for(user, meeting_id)
    folded = email.strip().lower()
    other = db.session.scalar(sa.select(User).where(User.email == folded))
    if other is None or not other.active or other.role not in (Role.FACILITATOR, Role.ADMIN):
        raise InvalidInput(
            "email", "No active facilitator has this email; ask an admin to invite them first."
        )
    if other not in meeting.facilitators:
        meeting.facilitators.append(other)
        db.session.commit()
    return other


def records_of(user: User, session_id: str) -> list[AttendanceRecord]:
    """Return the records issued when a session this user runs was signed, by name."""
    session = session_for(user, session_id)
    query = sa.select(AttendanceRecord).where(AttendanceRecord.session_id == session.id)
    return list(db.session.scalars(query.order_by(AttendanceRecord.name)))
