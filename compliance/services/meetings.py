"""Meetings and their sessions, always reached through a facilitator who runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from compliance.domain.codes import new_code
from compliance.domain.programs import canonical_program, is_known_timezone
from compliance.extensions import db
from compliance.models import Meeting, MeetingSession, User
from compliance.models.accounts import Role
from compliance.models.meetings import meeting_facilitators
from compliance.services.errors import InvalidInput, NotFound

MAX_SESSION_LENGTH = timedelta(hours=12)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _clean_text(field: str, value: str, max_length: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidInput(field, f"{field} must not be empty")
    if len(cleaned) > max_length:
        raise InvalidInput(field, f"{field} must be at most {max_length} characters")
    return cleaned


def create_meeting(
    facilitator: User,
    name: str,
    program: str,
    timezone: str,
    min_presence_percent: int = 80,
    platform: str | None = None,
) -> Meeting:
    """Add a meeting run by this facilitator."""
    name = _clean_text("name", name, 80)
    program = canonical_program(_clean_text("program", program, 40))
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
        platform=_clean_text("platform", platform, 40) if platform else None,
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
