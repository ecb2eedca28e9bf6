"""Database models, one module per part of the product."""

from compliance.models.accounts import ApiToken, User
from compliance.models.keys import SigningKey
from compliance.models.meetings import Interval, Meeting, MeetingSession, Participant
from compliance.models.records import AttendanceRecord, Attendee

__all__ = [
    "ApiToken",
    "AttendanceRecord",
    "Attendee",
    "Interval",
    "Meeting",
    "MeetingSession",
    "Participant",
    "SigningKey",
    "User",
]
