"""Database models, one module per part of the product."""

from compliance.models.accounts import ApiToken, LoginSession, User
from compliance.models.audit import AuditEntry, AuditHead, AuditHeadSignature
from compliance.models.cases import Case, CaseConsent
from compliance.models.issued import IssuedFile
from compliance.models.keys import KeyPurpose, SigningKey
from compliance.models.meetings import (
    Interval,
    Meeting,
    MeetingSession,
    Participant,
    ReportImport,
    SkippedOccurrence,
)
from compliance.models.outbox import OutboxMessage
from compliance.models.records import AttendanceRecord, Attendee
from compliance.models.sharing import ShareLink, ShareLinkOpen, SummaryDocument

__all__ = [
    "ApiToken",
    "AttendanceRecord",
    "AuditEntry",
    "AuditHead",
    "AuditHeadSignature",
    "Case",
    "CaseConsent",
    "Attendee",
    "Interval",
    "IssuedFile",
    "LoginSession",
    "Meeting",
    "OutboxMessage",
    "MeetingSession",
    "Participant",
    "ReportImport",
    "ShareLink",
    "ShareLinkOpen",
    "KeyPurpose",
    "SigningKey",
    "SkippedOccurrence",
    "SummaryDocument",
    "User",
]
