"""JSON shapes of the API's answers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from compliance.domain.slips.slip import format_code
from compliance.models import AttendanceRecord, Meeting, MeetingSession
from compliance.services import links
from compliance.services.attendance import RosterEntry


def iso_in(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def meeting_json(meeting: Meeting) -> dict:
    return {
        "id": meeting.id,
        "name": meeting.name,
        "program": meeting.program,
        "platform": meeting.platform,
        "timezone": meeting.timezone,
        "min_presence_percent": meeting.min_presence_percent,
    }


def session_json(session: MeetingSession) -> dict:
    zone = session.meeting.timezone
    return {
        "id": session.id,
        "meeting_id": session.meeting_id,
        "starts_at": iso_in(session.starts_at, zone),
        "ends_at": iso_in(session.ends_at, zone),
        "timezone": zone,
        "status": session.status,
        "checkin_code": format_code(session.checkin_code),
        "checkout_code": format_code(session.checkout_code),
    }


def interval_source(stored: str) -> str:
    """Return "checkin", "manual" or "report" (intervals of a report keep its format)."""
    return stored if stored in ("checkin", "manual") else "report"


def roster_entry_json(entry: RosterEntry) -> dict:
    person = entry.participant
    return {
        "id": person.id,
        "name": person.name,
        "name_source": person.name_source,
        "email": person.email,
        "present_minutes": entry.presence.minutes,
        "present_seconds": entry.presence.seconds,
        "qualifies": entry.presence.qualifies,
        "is_host": person.is_host,
        "excluded_reason": person.excluded_reason,
        "issues_slip": entry.issues_slip,
        "shares_name": entry.shares_name,
        "intervals": [
            {
                "id": i.id,
                "joined_at": i.joined_at.isoformat(),
                "left_at": i.left_at.isoformat() if i.left_at else None,
                "source": interval_source(i.source),
                "report_format": i.source if interval_source(i.source) == "report" else None,
            }
            for i in person.intervals
        ],
    }


def record_json(record: AttendanceRecord) -> dict:
    return {
        "id": record.id,
        "code": format_code(record.code),
        "name": record.name,
        "present_minutes": record.present_minutes,
        "token": record.token,
        "kid": record.kid,
        "issued_at": record.issued_at.isoformat(),
        "revoked_at": record.revoked_at.isoformat() if record.revoked_at else None,
        "revoked_reason": record.revoked_reason,
        "slip_url": links.slip_url(record.id),
        # The attendee's page reaches them at their own check-in or by email, never through
        # a facilitator: the field stays for clients that read it, always null.
        "attendee_url": None,
        "verify_url": links.verify_url(record.token),
    }
