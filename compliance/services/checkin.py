"""Attendees checking themselves in and out with the codes the facilitator shows.

A check-in opens an interval; only the matching check-out closes it. An interval left open
counts nothing (see attendance.presence_of): the facilitator sees it and can close it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale, gettext

from compliance.domain.codes import normalize_code
from compliance.domain.people import name_key
from compliance.domain.slips.labels import labels_for
from compliance.extensions import db
from compliance.models import Attendee, Interval, MeetingSession, Participant, User
from compliance.models.meetings import SessionStatus
from compliance.services import outbox
from compliance.services.attendance import (
    clean_attendee_name,
    clean_email,
    known_people,
    require_open,
)
from compliance.services.attendees import LANGUAGES
from compliance.services.clock import now
from compliance.services.errors import Conflict, NotFound
from compliance.services.meetings import session_for
from compliance.services.slip_room import check_fits_on_slip

OPENS_BEFORE_START = timedelta(minutes=30)
CLOSES_AFTER_END = timedelta(minutes=60)


def _(text: str, **values) -> str:
    """Translate a message for the attendee's page; plain English outside a request."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


def _language() -> str:
    locale = get_locale() if has_request_context() else None
    return locale.language if locale is not None else "en"


class WrongCode(NotFound):
    """No session has this code: the only refusal that counts towards the rate limit."""


class CodeNotUsableNow(Conflict):
    """The code is right, but the session is signed, not open yet, or over."""


class SessionSigned(CodeNotUsableNow):
    """The code is right, and the session is signed: slips are out."""


def window_of(session: MeetingSession) -> tuple[datetime, datetime]:
    """Return when the session's codes start and stop working."""
    return session.starts_at - OPENS_BEFORE_START, session.ends_at + CLOSES_AFTER_END


def _local(session: MeetingSession, moment: datetime) -> str:
    """Return e.g. "18:30 on Tuesday 04 March (America/Chicago)" in the page's language."""
    zone = session.meeting.timezone
    local = moment.astimezone(ZoneInfo(zone))
    if _language() == "es":
        labels = labels_for("es")
        day = f"{labels.weekdays[local.weekday()]} {local.day} de {labels.months[local.month - 1]}"
    else:
        day = local.strftime("%A %d %B")
    return _("%(time)s on %(day)s (%(zone)s)", time=local.strftime("%H:%M"), day=day, zone=zone)


def _session_by(column, code: str) -> MeetingSession:
    normalized = normalize_code(code)
    session = (
        db.session.scalar(sa.select(MeetingSession).where(column == normalized))
        if normalized
        else None
    )
    if session is None:
        raise WrongCode(
            _("No meeting has this code. Check it with your facilitator and try again.")
        )
    return session


def _require_usable(session: MeetingSession, at: datetime, what: str) -> None:
    checking_in = what == "check-in"
    if session.status == SessionStatus.CANCELLED:
        raise CodeNotUsableNow(_("This meeting was cancelled by its facilitator."))
    if session.status != SessionStatus.OPEN:
        raise SessionSigned(
            _("This meeting has been signed already, so check-in is closed.")
            if checking_in
            else _("This meeting has been signed already, so check-out is closed.")
        )
    opens, closes = window_of(session)
    if at < opens:
        when = _local(session, opens)
        raise CodeNotUsableNow(
            _("Check-in opens at %(when)s.", when=when)
            if checking_in
            else _("Check-out opens at %(when)s.", when=when)
        )
    if at > closes:
        when = _local(session, closes)
        raise CodeNotUsableNow(
            _("Check-in closed at %(when)s.", when=when)
            if checking_in
            else _("Check-out closed at %(when)s.", when=when)
        )


def session_for_checkin(code: str) -> MeetingSession:
    """Return the session a check-in code opens, if it can be used right now."""
    session = _session_by(MeetingSession.checkin_code, code)
    _require_usable(session, now(), "check-in")
    return session


def session_for_checkout(code: str) -> MeetingSession:
    """Return the session a check-out code closes, if it can be used right now."""
    session = _session_by(MeetingSession.checkout_code, code)
    _require_usable(session, now(), "check-out")
    if session.checkout_revealed_at is None:
        raise CodeNotUsableNow(_("Check-out opens when the facilitator shows the check-out code."))
    return session


def code_kind(code: str) -> str:
    """Return "checkin" or "checkout" for a typed code, or raise WrongCode."""
    normalized = normalize_code(code) or ""
    found = db.session.execute(
        sa.select(MeetingSession.checkin_code, MeetingSession.checkout_code).where(
            sa.or_(
                MeetingSession.checkin_code == normalized,
                MeetingSession.checkout_code == normalized,
            )
        )
    ).first()
    if not normalized or found is None:
        raise WrongCode(
            _("No meeting has this code. Check it with your facilitator and try again.")
        )
    return "checkin" if found.checkin_code == normalized else "checkout"


def remembered(session: MeetingSession, participant_id: str | None) -> Participant | None:
    """Return the person this browser checked in as, if it was in this session."""
    if not participant_id:
        return None
    return next((p for p in session.participants if p.id == participant_id), None)


@dataclass(frozen=True)
class CheckInState:
    """What an attendee's own check-in page shows: only their own intervals."""

    participant: Participant | None

    @property
    def open_interval(self) -> Interval | None:
        intervals = self.participant.intervals if self.participant else []
        return next((i for i in reversed(intervals) if i.left_at is None), None)

    @property
    def last_checkout(self) -> datetime | None:
        intervals = self.participant.intervals if self.participant else []
        closed = [i.left_at for i in intervals if i.left_at is not None and i.source == "checkin"]
        return max(closed, default=None)


def state_of(session: MeetingSession, participant_id: str | None) -> CheckInState:
    return CheckInState(remembered(session, participant_id))


def _new_page_participant(
    session: MeetingSession, name: str, email: str | None, language: str
) -> Participant:
    """Add a person who checked in without their page: a new page is made for them, and its
    link is shown only in the answer to this check-in.

    Never joined to anyone already in the roster or to an existing page by the typed name or
    email: anyone holding the check-in code can type those. The email is kept on this roster
    entry only, unproven, so it links nothing.
    """
    check_fits_on_slip(session, name)
    page = Attendee(name=name, language=language if language in LANGUAGES else "en")
    db.session.add(page)
    person = Participant(
        session=session,
        name=name,
        name_key=name_key(name),
        name_source="checkin",
        email=email,
        attendee=page,
        attendee_via="checkin",
    )
    db.session.add(person)
    return person


def check_in(
    code: str,
    name: str | None,
    email: str | None,
    participant_id: str | None = None,
    language: str = "en",
) -> Participant:
    """Start an interval now for this person (the same person again when they rejoin).

    `participant_id` is who this browser checked in as before (remembered by a check-in it
    posted). `language` is the one the attendee used to check in: a new attendance page, and so
    its slips, start in it.
    """
    session = session_for_checkin(code)
    person = remembered(session, participant_id)
    if person is None:
        person = _new_page_participant(
            session, clean_attendee_name(name or ""), clean_email(email), language
        )
        if person.email:
            db.session.flush()
            # Following its link proves the address and joins this entry to that page.
            language = person.attendee.language
            outbox.enqueue("checkin", person.email, language, participant_id=person.id)
    person.intervals.append(Interval(joined_at=now(), left_at=None, source="checkin"))
    db.session.commit()
    return person


def check_in_from_page(code: str, page: Attendee) -> Participant:
    """Check in with the attendance page's own link: the record joins that page, under the
    name the page prints (shown on the roster as coming from the page)."""
    session = session_for_checkin(code)
    person = next((p for p in session.participants if p.attendee_id == page.id), None)
    if person is None:
        name = page.slip_name or page.name
        check_fits_on_slip(session, name)
        person = Participant(
            session=session,
            name=name,
            name_key=name_key(name),
            name_source="page",
            email=page.email if page.email_proven_at is not None else None,
            attendee_id=page.id,
            attendee_via="page",
        )
        db.session.add(person)
    person.intervals.append(Interval(joined_at=now(), left_at=None, source="checkin"))
    db.session.commit()
    return person


DROPPED_NOTE = "left open by a dropped connection; closed at check-out, counting nothing"


@dataclass(frozen=True)
class CheckOut:
    """What one check-out did: the check-in it closed, and earlier ones a drop left open."""

    interval: Interval
    earlier: tuple[Interval, ...]


def _close_open_intervals(person: Participant | None) -> CheckOut:
    """Close every open check-in of this person in one go: the latest now; earlier ones (a drop,
    then a new check-in) at their own start, so they count nothing rather than the time the
    person was away. The facilitator can add the time before the drop, with a reason."""
    open_ones = [i for i in (person.intervals if person else []) if i.left_at is None]
    if not open_ones:
        raise CodeNotUsableNow(
            _(
                "We found no open check-in for you in this meeting. Check in first, or ask the "
                "facilitator to add your time."
            )
        )
    latest = max(open_ones, key=lambda i: i.joined_at)
    latest.left_at = max(now(), latest.joined_at)
    earlier = tuple(i for i in open_ones if i is not latest)
    for interval in earlier:
        interval.left_at, interval.note = interval.joined_at, DROPPED_NOTE
    db.session.commit()
    return CheckOut(latest, earlier)


def check_out(
    code: str,
    participant_id: str | None = None,
    name: str | None = None,
    email: str | None = None,
) -> CheckOut:
    """Close this person's open check-ins now (see _close_open_intervals)."""
    session = session_for_checkout(code)
    person = remembered(session, participant_id)
    email = clean_email(email)
    if person is None and name and email:
        # Without this browser's memory, both name and email must match: anyone in the meeting
        # knows the check-out code, and must not be able to cut someone else's time short.
        person = known_people(session).named_and_addressed(clean_attendee_name(name), email)
    return _close_open_intervals(person)


def check_out_from_page(code: str, page: Attendee) -> CheckOut:
    """Close the open check-in of the page's own person in the session of this check-out code."""
    session = session_for_checkout(code)
    person = next((p for p in session.participants if p.attendee_id == page.id), None)
    return _close_open_intervals(person)


def reveal_checkout_code(user: User, session_id: str) -> MeetingSession:
    """Let attendees check out from now on (the facilitator shows the code near the end)."""
    session = session_for(user, session_id)
    require_open(session)
    if session.checkout_revealed_at is None:
        session.checkout_revealed_at = now()
        db.session.commit()
    return session
