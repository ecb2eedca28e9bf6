"""Who this browser checked in as, per session: set only by a check-in it posted itself."""

from __future__ import annotations

from flask import session

from compliance.models import MeetingSession

REMEMBERED = "checked_in"
REMEMBER_AT_MOST = 10


def remembered_participant(meeting_session: MeetingSession) -> str | None:
    return session.get(REMEMBERED, {}).get(meeting_session.id)


def remember_participant(meeting_session: MeetingSession, participant_id: str) -> None:
    known = dict(session.get(REMEMBERED, {}))
    known.pop(meeting_session.id, None)
    known[meeting_session.id] = participant_id
    session[REMEMBERED] = dict(list(known.items())[-REMEMBER_AT_MOST:])
