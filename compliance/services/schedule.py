"""Weekly meetings: the next sessions open on their own when someone looks (no cron), each
with its own codes; a facilitator can skip a week."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from compliance.domain.codes import new_code
from compliance.domain.weekly import occurrences, window_on
from compliance.extensions import db
from compliance.models import Meeting, MeetingSession, SkippedOccurrence, User
from compliance.models.meetings import SessionStatus
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.errors import Conflict, InvalidInput
from compliance.services.meetings import meeting_for, meetings_of

DAYS_AHEAD = 8  # today and the next seven days: the next week's session is always there


def is_weekly(meeting: Meeting) -> bool:
    return None not in (meeting.weekly_day, meeting.usual_start, meeting.usual_minutes)


def set_weekly_day(user: User, meeting_id: str, weekday: int | None) -> Meeting:
    """Make the meeting repeat every week on `weekday` (0 = Monday) at its usual slot, or stop."""
    meeting = meeting_for(user, meeting_id)
    if weekday is not None:
        if not 0 <= weekday <= 6:
            raise InvalidInput("weekly_day", "weekly_day must be 0 (Monday) to 6 (Sunday)")
        if meeting.usual_start is None or meeting.usual_minutes is None:
            raise InvalidInput(
                "weekly_day", "give the usual start and length first: each week opens at them"
            )
    meeting.weekly_day = weekday
    db.session.commit()
    return meeting


def _today(meeting: Meeting, now: datetime) -> date:
    return now.astimezone(ZoneInfo(meeting.timezone)).date()


def upcoming_dates(meeting: Meeting, now: datetime) -> list[date]:
    """Return the weekly dates from today for DAYS_AHEAD days, skipped ones left out."""
    if not is_weekly(meeting):
        return []
    skipped = db.session.scalars(
        sa.select(SkippedOccurrence.on_date).where(SkippedOccurrence.meeting_id == meeting.id)
    ).all()
    return occurrences(meeting.weekly_day, _today(meeting, now), DAYS_AHEAD, skipped)


def open_upcoming(meeting: Meeting, now: datetime | None = None) -> list[MeetingSession]:
    """Open the sessions of the coming weekly dates that have none yet; return every session
    of those dates. Two requests doing this at once open each date once (a unique key)."""
    now = now or utcnow()
    dates = upcoming_dates(meeting, now)
    if not dates:
        return []
    have = {
        s.occurrence_date: s
        for s in db.session.scalars(
            sa.select(MeetingSession).where(
                MeetingSession.meeting_id == meeting.id, MeetingSession.occurrence_date.in_(dates)
            )
        )
    }
    for on in dates:
        if on in have:
            continue
        starts_at, ends_at = window_on(
            on, meeting.usual_start, meeting.usual_minutes, meeting.timezone
        )
        session = MeetingSession(
            meeting_id=meeting.id,
            starts_at=starts_at,
            ends_at=ends_at,
            occurrence_date=on,
            checkin_code=new_code(),
            checkout_code=new_code(),
        )
        try:
            with db.session.begin_nested():
                db.session.add(session)
            have[on] = session
        except IntegrityError:  # another request opened it first
            have[on] = db.session.scalar(
                sa.select(MeetingSession).where(
                    MeetingSession.meeting_id == meeting.id, MeetingSession.occurrence_date == on
                )
            )
    db.session.commit()
    return [have[on] for on in dates]


def open_upcoming_for(user: User, now: datetime | None = None) -> None:
    """Open the coming weekly sessions of every meeting this user runs (their dashboard)."""
    for meeting in meetings_of(user):
        if is_weekly(meeting):
            open_upcoming(meeting, now)


def skip_occurrence(user: User, meeting_id: str, on: date) -> None:
    """Do not hold the meeting on this date: no session opens for it, and one already opened
    (nobody in it yet) is cancelled."""
    meeting = meeting_for(user, meeting_id)
    if not is_weekly(meeting) or meeting.weekly_day != on.weekday():
        raise InvalidInput("date", f"{on.isoformat()} is not a date this meeting repeats on")
    session = db.session.scalar(
        sa.select(MeetingSession).where(
            MeetingSession.meeting_id == meeting.id, MeetingSession.occurrence_date == on
        )
    )
    if session is not None and session.status == SessionStatus.FINALIZED:
        raise Conflict("the session of this date is signed already")
    if session is not None and session.participants:
        raise Conflict(
            "people are already in the roster of this date: cancel that session if the "
            "meeting did not take place"
        )
    if db.session.get(SkippedOccurrence, (meeting.id, on)) is None:
        db.session.add(SkippedOccurrence(meeting_id=meeting.id, on_date=on))
    if session is not None and session.status == SessionStatus.OPEN:
        session.status, session.cancelled_at = SessionStatus.CANCELLED, utcnow()
    audit.record_event("meeting.week_skipped", user.email, f"meeting:{meeting.id}", {"on": str(on)})
    db.session.commit()
