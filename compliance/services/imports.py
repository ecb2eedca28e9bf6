"""Importing a Zoom, Teams or Meet participant report into a session's roster, all or nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from compliance.domain.people import name_key
from compliance.domain.printed_text import without_unprintable
from compliance.domain.programs import is_known_timezone
from compliance.domain.reports import ReportError, ReportParticipant, parse_participant_report
from compliance.extensions import db
from compliance.models import Interval, MeetingSession, Participant, ReportImport, User
from compliance.models.types import new_id, new_ids, utcnow
from compliance.services.attendance import clean_attendee_name, known_people, require_open
from compliance.services.errors import InvalidInput, Unprocessable
from compliance.services.gc_pause import cycle_collector_paused
from compliance.services.meetings import session_for
from compliance.services.progress import SILENT, Progress
from compliance.services.slip_room import SlipRoom, room_for
from compliance.storage.bulk_insert import insert_tuples


@dataclass(frozen=True)
class ImportSummary:
    format: str
    rows: int
    participants: int
    id: str = ""  # of the import, to undo it as a whole


@dataclass(slots=True)
class _NewPerson:
    """Someone the report adds to the roster: written with one bulk insert, not as an ORM object
    (5,000 ORM objects cost more than the insert itself)."""

    id: str
    session_id: str
    name: str
    name_key: str
    email: str | None
    is_host: bool
    created_at: datetime
    reported_total_seconds: int | None = None


def _checked_name(room: SlipRoom, entry: ReportParticipant) -> tuple[str, bool]:
    """Return the name to print for a report's person, and whether characters no font prints
    (emoji in a display name, "🌻 Sarah") were left out of it; refuse a name with nothing
    printable left, or with hidden characters, naming the line."""
    printable = without_unprintable(entry.name)
    # With nothing printable left, the original is judged: the refusal names the character.
    source = printable if printable.strip() else entry.name
    try:
        name = clean_attendee_name(source)
        room.check(name)
        return name, printable != entry.name
    except InvalidInput as error:
        raise Unprocessable(
            f"line {entry.first_line}: {error.message}", line=entry.first_line
        ) from None


def _parse(session: MeetingSession, data: bytes, zone_name: str):
    try:
        return parse_participant_report(
            data, ZoneInfo(zone_name), session.starts_at, session.ends_at
        )
    except ReportError as error:
        recognised = f"This looks like {error.recognised}, but " if error.recognised else ""
        raise Unprocessable(
            f"The report could not be imported: {recognised}{error}. Nothing was changed.",
            line=error.line,
        ) from None


PROGRESS_STEP = 1000  # people matched between two progress reports


@cycle_collector_paused()
def import_participant_report(
    user: User,
    session_id: str,
    data: bytes,
    timezone: str | None = None,
    progress: Progress = SILENT,
) -> ImportSummary:
    """Add every person's joins and leaves from a report; a bad file changes nothing."""
    session = session_for(user, session_id)
    require_open(session)
    zone_name = timezone or session.meeting.timezone
    if not is_known_timezone(zone_name):
        raise InvalidInput("timezone", f"timezone must be an IANA zone, not {zone_name!r}")
    progress.begin(f"Reading the report ({len(data):,} bytes)")
    report = _parse(session, data, zone_name)
    _require_the_sessions_day(session, report)
    progress.begin(
        f"Matching the people of {report.rows:,} {report.format} rows to the roster",
        len(report.participants),
    )
    known, room = known_people(session), room_for(session)
    new_people, intervals, now = [], [], utcnow()
    import_id = new_id()
    before: dict[str, dict] = {}  # people already in the roster, as they were
    interval_ids = iter(new_ids(sum(len(entry.intervals) for entry in report.participants)))
    person_ids = iter(new_ids(len(report.participants)))
    for position, entry in enumerate(report.participants, 1):
        if position % PROGRESS_STEP == 0:
            progress.advance(PROGRESS_STEP)
        name, shortened = _checked_name(room, entry)
        # A name shortened to its printable part may now be another person's name: such a
        # person is found again only by email, and the roster flags the shared name.
        kept_apart = report.format == "zoom-unique" or entry.same_name_apart or shortened
        if kept_apart:
            # A "unique users" row is one person, and so is each of two people of one name the
            # report could not tell apart: joined to someone in the roster only by the same
            # email, never by a shared name (two "Andrew"s are two people).
            person = known.with_email(entry.email)
        else:
            found = known.matches([name, *entry.aliases], entry.email)
            # A name the roster already gives to several people could be any of them: this
            # entry stays apart too, and the roster flags the shared name.
            person, kept_apart = (found[0] if len(found) == 1 else None), len(found) > 1
        if person is None:
            person = _NewPerson(
                id=next(person_ids),
                session_id=session.id,
                name=name,
                name_key=name_key(name),
                email=entry.email,
                is_host=entry.is_host,
                created_at=now,
            )
            new_people.append(person)
        else:
            if isinstance(person, Participant) and person.id not in before:
                before[person.id] = _as_before(person)
            # A host the facilitator chose to issue a slip to stays chosen on re-import.
            person.is_host = (person.is_host or entry.is_host) and person.host_slip_reason is None
            person.email = person.email or entry.email
        # Someone kept apart is found again only by email, never by a name.
        known.remember(person, [] if kept_apart else [name, *entry.aliases])
        if entry.total_seconds is not None:
            person.reported_total_seconds = max(
                person.reported_total_seconds or 0, entry.total_seconds
            )
        intervals.extend(
            (next(interval_ids), person.id, joined, left, report.format, import_id, now)
            for joined, left in entry.intervals
        )
    progress.advance(len(report.participants) % PROGRESS_STEP)
    progress.begin(f"Writing {len(new_people):,} new people and {len(intervals):,} intervals")
    record = ReportImport(
        id=import_id,
        session_id=session.id,
        user_id=user.id,
        format=report.format,
        rows=report.rows,
        participants=len(report.participants),
        restore=json.dumps(list(before.values())),
        created_at=now,
    )
    _save(record, new_people, intervals)
    return ImportSummary(report.format, report.rows, len(report.participants), import_id)


def _as_before(person: Participant) -> dict:
    """What an import may change on someone already in the roster, to put back on undo."""
    return {
        "id": person.id,
        "email": person.email,
        "is_host": person.is_host,
        "reported_total_seconds": person.reported_total_seconds,
    }


def _require_the_sessions_day(session: MeetingSession, report) -> None:
    """Refuse a report none of whose times touch the session's day(s): the wrong file, not
    people with 0 minutes."""
    joins = [(joined, left) for entry in report.participants for joined, left in entry.intervals]
    if not joins:
        return  # a "unique users" report has no times to compare
    zone = ZoneInfo(session.meeting.timezone)
    first = session.starts_at.astimezone(zone).date()
    last = session.ends_at.astimezone(zone).date()
    day_starts = datetime.combine(first, time.min, zone)
    day_ends = datetime.combine(last + timedelta(days=1), time.min, zone)
    if any(joined < day_ends and left > day_starts for joined, left in joins):
        return
    days = sorted({joined.astimezone(zone).date().isoformat() for joined, _ in joins})
    shown = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    raise Unprocessable(
        f"This report is from {shown}, but the session is on {first.isoformat()}: nothing "
        "was imported. Check that you picked the report of this session.",
        field="file",
        report_dates=days,
        session_date=first.isoformat(),
    )


# What `intervals` holds of each interval a report adds, in this order (the note stays empty).
_INTERVAL_COLUMNS = (
    "id", "participant_id", "joined_at", "left_at", "source", "import_id", "created_at"
)  # fmt: skip
# What is written of each person a report adds, in the order `_person_row` gives it.
_PERSON_COLUMNS = (
    "id", "session_id", "name", "name_key", "name_source", "email", "is_host", "created_at",
    "reported_total_seconds", "import_id",
)  # fmt: skip


def _save(record: ReportImport, new_people: list[_NewPerson], intervals: list[tuple]) -> None:
    """Write everything in one transaction, in bulk: the ORM would cost more than the writes."""
    try:
        db.session.add(record)
        db.session.flush()
        connection = db.session.connection()
        people = [_person_row(person, record.id) for person in new_people]
        insert_tuples(connection, Participant.__table__, _PERSON_COLUMNS, people)
        insert_tuples(connection, Interval.__table__, _INTERVAL_COLUMNS, intervals)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _person_row(person: _NewPerson, import_id: str) -> tuple:
    return (
        person.id,
        person.session_id,
        person.name,
        person.name_key,
        "report",
        person.email,
        person.is_host,
        person.created_at,
        person.reported_total_seconds,
        import_id,
    )


def imports_of(session: MeetingSession) -> list[ReportImport]:
    """Return the session's imports, newest first (each can be undone while it is open)."""
    query = sa.select(ReportImport).where(ReportImport.session_id == session.id)
    return list(db.session.scalars(query.order_by(ReportImport.created_at.desc())))
