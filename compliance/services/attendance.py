"""Who was present in a session: entries become intervals of one participant each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.domain.people import People, email_key, name_key
from compliance.domain.presence import Presence, PresenceRule, assess_presence
from compliance.extensions import db
from compliance.models import Interval, MeetingSession, Participant, User
from compliance.models.meetings import SessionStatus
from compliance.services.accounts import valid_email
from compliance.services.errors import Conflict, InvalidInput, NotFound, Unprocessable
from compliance.services.meetings import EARLIEST, LATEST, session_for
from compliance.services.printed import clean_printed
from compliance.services.slip_room import check_fits_on_slip

MAX_NAME_LENGTH = 80


def clean_attendee_name(name: str) -> str:
    """Return the name to print on a slip (NFC), or refuse it."""
    return clean_printed("name", name, MAX_NAME_LENGTH)


def clean_email(email: str | None) -> str | None:
    folded = email_key(email)
    if folded is not None and not valid_email(folded):
        raise InvalidInput("email", f"{email!r} is not an email address")
    return folded


def require_open(session: MeetingSession) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise Conflict("this session was cancelled")
    if session.status != SessionStatus.OPEN:
        raise Conflict("this session is already signed; revoke a record to correct it")


def known_people(session: MeetingSession) -> People[Participant]:
    """The session's participants, to be found again by the one rule of `domain.people`."""
    known: People[Participant] = People()
    for person in session.participants:
        known.remember(person, [person.name])
    return known


def find_participant(session: MeetingSession, name: str, email: str | None) -> Participant | None:
    """Return who an entry belongs to: same email, else same name (case and spacing ignored);
    refuse a name several people in the roster share, rather than pick one of them."""
    found = known_people(session).matches([name], email)
    if len(found) > 1:
        raise Conflict(
            f"{len(found)} people named {name!r} are on this session's roster: add their email "
            "to say which one, or change the time from that person's row",
            field="name",
        )
    return found[0] if found else None


def participant_for(session: MeetingSession, name: str, email: str | None) -> Participant:
    """Return the participant these entries belong to, adding one when new."""
    person = find_participant(session, name, email)
    if person is None:
        check_fits_on_slip(session, name)
        person = Participant(
            session=session, name=name, name_key=name_key(name), name_source="manual", email=email
        )
        db.session.add(person)
    elif email is not None and person.email is None:
        person.email = email
    return person


def check_interval(
    joined_at: datetime, left_at: datetime, session: MeetingSession | None = None
) -> None:
    """Refuse a stretch that ends before it starts, or (given the session) that lies wholly
    outside the scheduled window: a typo, not presence."""
    for field, value in (("joined_at", joined_at), ("left_at", left_at)):
        if value.tzinfo is None:
            raise InvalidInput(field, f"{field} needs a UTC offset, e.g. 2025-03-04T19:00:00-06:00")
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput(field, f"{field} must be between 2000 and 2100")
    if left_at <= joined_at:
        raise InvalidInput("left_at", "left_at must be after joined_at")
    if session is None:
        return
    zone = ZoneInfo(session.meeting.timezone)
    if left_at <= session.starts_at:
        starts = session.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        raise Unprocessable(
            f"left_at is before the meeting starts ({starts} {session.meeting.timezone}): "
            "this time is wholly outside the scheduled window",
            field="left_at",
        )
    if joined_at >= session.ends_at:
        ends = session.ends_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        raise Unprocessable(
            f"joined_at is after the meeting ends ({ends} {session.meeting.timezone}): "
            "this time is wholly outside the scheduled window",
            field="joined_at",
        )


def record_attendance(
    user: User,
    session_id: str,
    name: str,
    email: str | None,
    joined_at: datetime,
    left_at: datetime,
    note: str | None = None,
) -> Participant:
    """Add one stretch of presence entered by the facilitator."""
    session = session_for(user, session_id)
    require_open(session)
    name = clean_attendee_name(name)
    email = clean_email(email)
    check_interval(joined_at, left_at, session)
    person = participant_for(session, name, email)
    person.intervals.append(
        Interval(
            joined_at=joined_at.astimezone(UTC),
            left_at=left_at.astimezone(UTC),
            source="manual",
            note=note,
        )
    )
    db.session.commit()
    return person


@dataclass(frozen=True)
class RosterEntry:
    participant: Participant
    presence: Presence
    # Another person on the roster has the same name: a report could not tell them apart, or
    # two people really share it. The facilitator checks who is who before signing.
    shares_name: bool = False

    @property
    def issues_slip(self) -> bool:
        """Whether signing the session gives this person a slip."""
        person = self.participant
        return self.presence.qualifies and not person.is_host and person.excluded_reason is None


def presence_of(session: MeetingSession, person: Participant) -> Presence:
    window = (session.starts_at, session.ends_at)
    intervals = [(i.joined_at, i.left_at) for i in person.intervals if i.left_at is not None]
    rule = PresenceRule(session.meeting.min_presence_percent)
    return assess_presence(intervals, window, rule, person.reported_total_seconds)


def load_intervals(session: MeetingSession) -> list[Participant]:
    """Return the session's participants with every one's intervals loaded in one query (not
    one per person); the participants are those of session.participants, in its order."""
    people = session.participants
    db.session.scalars(
        sa.select(Participant)
        .where(Participant.session_id == session.id)
        .options(so.selectinload(Participant.intervals))
    ).all()
    return people


def roster(session: MeetingSession) -> list[RosterEntry]:
    """Return everyone in the session with their presence, in order of arrival."""
    people = load_intervals(session)
    names = Counter(person.name_key for person in people)
    return [
        RosterEntry(p, presence_of(session, p), shares_name=names[p.name_key] > 1) for p in people
    ]


MAX_REASON_LENGTH = 500


def clean_reason(reason: str | None) -> str:
    """Return the reason a facilitator gave for a change by hand, or refuse an empty one."""
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise InvalidInput("reason", "Give a reason: it is kept with the change.")
    if len(cleaned) > MAX_REASON_LENGTH:
        raise InvalidInput("reason", f"Keep the reason to {MAX_REASON_LENGTH} characters.")
    return cleaned


def participant_in(user: User, session_id: str, participant_id: str) -> Participant:
    """Return one person of a session this user runs and can still change."""
    session = session_for(user, session_id)
    require_open(session)
    person = next((p for p in session.participants if p.id == participant_id), None)
    if person is None:
        raise NotFound("no such person in this session")
    return person


def exclude_participant(user: User, session_id: str, participant_id: str, reason: str) -> None:
    """Keep someone from getting a slip when the session is signed, and record why."""
    person = participant_in(user, session_id, participant_id)
    person.excluded_reason = clean_reason(reason)
    db.session.commit()


def include_participant(user: User, session_id: str, participant_id: str) -> None:
    """Undo an exclusion: the person gets a slip again if they qualify."""
    person = participant_in(user, session_id, participant_id)
    person.excluded_reason = None
    db.session.commit()


def allow_host_slip(user: User, session_id: str, participant_id: str, reason: str) -> None:
    """Give a host a slip after all (hosts get none by default), and record why."""
    person = participant_in(user, session_id, participant_id)
    person.host_slip_reason = clean_reason(reason)
    person.is_host = False
    db.session.commit()


def withhold_host_slip(user: User, session_id: str, participant_id: str) -> None:
    """Undo allow_host_slip: the person is treated as a host again."""
    person = participant_in(user, session_id, participant_id)
    if person.host_slip_reason is not None:
        person.host_slip_reason = None
        person.is_host = True
        db.session.commit()


def add_time_by_hand(
    user: User,
    session_id: str,
    participant_id: str,
    joined_at: datetime,
    left_at: datetime,
    reason: str,
) -> Interval:
    """Add a stretch of presence for someone already in the roster, with the reason."""
    person = participant_in(user, session_id, participant_id)
    reason = clean_reason(reason)
    check_interval(joined_at, left_at, person.session)
    interval = Interval(
        joined_at=joined_at.astimezone(UTC),
        left_at=left_at.astimezone(UTC),
        source="manual",
        note=reason,
    )
    person.intervals.append(interval)
    db.session.commit()
    return interval


def add_person_by_hand(
    user: User,
    session_id: str,
    name: str,
    email: str | None,
    joined_at: datetime,
    left_at: datetime,
    reason: str,
) -> Participant:
    """Add someone the facilitator saw but who did not check in, with the reason."""
    return record_attendance(
        user, session_id, name, email, joined_at, left_at, note=clean_reason(reason)
    )


def close_interval_by_hand(
    user: User, session_id: str, interval_id: str, left_at: datetime, reason: str
) -> Interval:
    """Record when someone who checked in but never checked out left, with the reason."""
    session = session_for(user, session_id)
    require_open(session)
    interval = db.session.get(Interval, interval_id)
    if interval is None or interval.participant.session_id != session.id:
        raise NotFound("no such check-in in this session")
    if interval.left_at is not None:
        raise Conflict("this check-in already has a check-out time")
    reason = clean_reason(reason)
    check_interval(interval.joined_at, left_at, session)
    interval.left_at = left_at.astimezone(UTC)
    interval.note = reason
    db.session.commit()
    return interval


def open_intervals(person: Participant) -> list[Interval]:
    """Return check-ins without a check-out: they count nothing until closed."""
    return [i for i in person.intervals if i.left_at is None]
