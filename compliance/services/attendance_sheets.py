"""The attendance sheet of a session, for its facilitators' own records."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from compliance.domain.attendance_sheet import AttendanceSheet, SheetLine, render_sheet, sheet_rows
from compliance.domain.slips.slip import format_code
from compliance.domain.spreadsheet import to_csv
from compliance.models import MeetingSession, User
from compliance.models.meetings import SessionStatus
from compliance.services.attendance import RosterEntry, roster
from compliance.services.meetings import records_of, session_for


def _outcome(entry: RosterEntry, codes: dict[str, str], signed: bool) -> str:
    person = entry.participant
    if person.id in codes:
        return f"Slip {format_code(codes[person.id])}"
    if person.excluded_reason:
        return f"Excluded: {person.excluded_reason}"
    if person.is_host:
        return "Host: no slip"
    if entry.presence.qualifies:
        return "No slip" if signed else "Qualifies"
    return "Too short for a slip"


def _local(moment, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%A %d %B %Y, %H:%M")


def sheet_of(user: User, session_id: str) -> AttendanceSheet:
    """Return the sheet: who was there under the name their slip prints, minutes, outcome."""
    session: MeetingSession = session_for(user, session_id)
    meeting, zone = session.meeting, session.meeting.timezone
    signed = session.status == SessionStatus.FINALIZED
    codes = {r.participant_id: r.code for r in records_of(user, session.id)} if signed else {}
    status = {
        SessionStatus.FINALIZED: f"Signed {_local(session.finalized_at, zone)}"
        if session.finalized_at
        else "Signed",
        SessionStatus.CANCELLED: "Cancelled",
    }.get(session.status, "Not signed yet")
    ends = session.ends_at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
    return AttendanceSheet(
        meeting=meeting.name,
        program=meeting.program,
        when=f"{_local(session.starts_at, zone)}–{ends} ({zone})",
        facilitators=", ".join(f.display_name for f in meeting.facilitators),
        status=status,
        scheduled_minutes=int((session.ends_at - session.starts_at).total_seconds() // 60),
        lines=tuple(
            SheetLine(e.participant.name, e.presence.minutes, _outcome(e, codes, signed))
            for e in roster(session)
        ),
    )


def sheet_pdf(user: User, session_id: str) -> bytes:
    return render_sheet(sheet_of(user, session_id))


def sheet_csv(user: User, session_id: str) -> str:
    sheet = sheet_of(user, session_id)
    return to_csv(["name", "minutes", "outcome"], sheet_rows(sheet))
