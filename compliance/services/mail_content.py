"""What each queued message says, made at sending from the ids it was queued with."""

from __future__ import annotations

import json
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from flask import current_app

from compliance.domain.cases.progress import CaseStatus
from compliance.domain.mail_messages import (
    BehindCase,
    CaseDigestMail,
    CaseReminderMail,
    CheckInMail,
    RecoverMail,
    SlipMail,
    checkin_message,
    digest_message,
    recover_message,
    reminder_message,
    slip_message,
)
from compliance.domain.slips.labels import labels_for
from compliance.domain.slips.slip import format_code
from compliance.extensions import db
from compliance.models import (
    AttendanceRecord,
    Attendee,
    CaseConsent,
    OutboxMessage,
    Participant,
    User,
)
from compliance.services import caseload, cases, links
from compliance.services.email_proof import confirm_url
from compliance.services.mail_transport import sender_address
from compliance.services.slips import slip_of, slip_pdf


class NothingToSend(LookupError):
    """What the message was about is gone (purged, say): it cannot be sent, ever."""


def _day(moment, zone: str, language: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    if language == "es":
        labels = labels_for("es")
        weekday = labels.weekdays[local.weekday()]
        return f"{weekday} {local.day} de {labels.months[local.month - 1]} de {local.year}"
    return f"{local:%A} {local.day} {local:%B %Y}"


def _checkin(message: OutboxMessage, params: dict) -> EmailMessage:
    person = db.session.get(Participant, params.get("participant_id", ""))
    if person is None:
        raise NothingToSend("the check-in is gone")
    session, meeting = person.session, person.session.meeting
    when = (
        f"{_day(session.starts_at, meeting.timezone, message.language)}, "
        f"{session.starts_at.astimezone(ZoneInfo(meeting.timezone)):%H:%M} ({meeting.timezone})"
    )
    mail = CheckInMail(person.name, meeting.name, when, confirm_url(person.id, message.to_address))
    return checkin_message(_sender(), message.to_address, message.language, mail, _origin())


def _page_url_for(record: AttendanceRecord, to_address: str) -> str:
    """The page link itself where the address is already proven there; else the link that
    proves it and joins this record (the same page, once followed)."""
    page = record.attendee
    if page.email == to_address and page.email_proven_at is not None:
        return links.attendee_url(page)
    return confirm_url(record.participant_id, to_address)


def _slip(message: OutboxMessage, params: dict) -> EmailMessage:
    record = db.session.get(AttendanceRecord, params.get("record_id", ""))
    if record is None:
        raise NothingToSend("the record is gone")
    slip = slip_of(record)
    mail = SlipMail(
        name=slip.name,
        meeting=slip.meeting,
        day=_day(slip.starts_at, slip.timezone, message.language),
        code=format_code(slip.code),
        minutes=slip.present_minutes,
        page_url=_page_url_for(record, message.to_address),
        pdf=slip_pdf(record),
        filename=f"attendance-slip-{format_code(slip.code)}.pdf",
    )
    return slip_message(_sender(), message.to_address, message.language, mail, _origin())


def _recover(message: OutboxMessage, params: dict) -> EmailMessage:
    page = db.session.get(Attendee, params.get("attendee_id", ""))
    if page is None or page.email != message.to_address or page.email_proven_at is None:
        raise NothingToSend("the page no longer has this address")
    mail = RecoverMail(links.attendee_url(page))
    return recover_message(_sender(), message.to_address, message.language, mail, _origin())


def _case_digest(message: OutboxMessage, params: dict) -> EmailMessage:
    officer = db.session.get(User, params.get("officer_id", ""))
    if officer is None or not officer.active or not officer.case_digest:
        raise NothingToSend("the officer is gone or turned the digest off")
    behind = tuple(
        BehindCase(row.case.label, row.credited, row.needed,
                   links.absolute(f"/officer/cases/{row.case.id}"))
        for row in caseload.caseload_of(officer)
        if row.status is CaseStatus.BEHIND
    )  # fmt: skip
    if not behind:
        raise NothingToSend("no case is behind any more")
    mail = CaseDigestMail(officer.display_name, behind, links.absolute("/officer/"))
    return digest_message(_sender(), message.to_address, mail, _origin())


def _case_reminder(message: OutboxMessage, params: dict) -> EmailMessage:
    consent = db.session.get(CaseConsent, params.get("consent_id", ""))
    page = consent and db.session.get(Attendee, consent.attendee_id)
    if (
        page is None
        or consent.withdrawn_at is not None
        or not page.case_reminders
        or page.email != message.to_address
        or page.email_proven_at is None
    ):
        raise NothingToSend("the consent was withdrawn, or reminders turned off")
    shown = cases.progress_of(cases.terms_of(consent.case), page)
    period = next(
        (p for p in shown.periods if p.date_from.isoformat() == params.get("period")), None
    )
    if period is None or period.met:
        raise NothingToSend("the week is met already")
    officer = db.session.get(User, consent.case.officer_id)
    mail = CaseReminderMail(
        officer.display_name, period.counted, period.needed, period.date_to.isoformat(),
        links.attendee_url(page),
    )  # fmt: skip
    return reminder_message(_sender(), message.to_address, message.language, mail, _origin())


BUILDERS = {
    "checkin": _checkin,
    "slip": _slip,
    "recover": _recover,
    "case_digest": _case_digest,
    "case_reminder": _case_reminder,
}


def build(message: OutboxMessage) -> EmailMessage:
    """Return the message to send, or raise NothingToSend."""
    builder = BUILDERS.get(message.kind)
    if builder is None:
        raise NothingToSend(f"unknown kind of message {message.kind!r}")
    return builder(message, json.loads(message.params or "{}"))


def _sender() -> str:
    return sender_address()


def _origin() -> str:
    return current_app.config["BASE_URL"]
