"""Facilitator calls: meetings, sessions, attendance, roster, signing."""

from __future__ import annotations

from flask import g, jsonify, request

from compliance.services import attendance, finalize, imports, meetings, roster_edits
from compliance.services.errors import InvalidInput
from compliance.web.api.answers import (
    Finalized,
    ImportResult,
    Meeting,
    Roster,
    RosterEntry,
    Session,
)
from compliance.web.api.auth import facilitator_required
from compliance.web.api.blueprint import bp
from compliance.web.api.bodies import (
    AttendanceInput,
    MeetingInput,
    RenameInput,
    ReportUpload,
    SessionInput,
)
from compliance.web.api.operations import Answer, documented
from compliance.web.api.presenters import (
    meeting_json,
    record_json,
    roster_entry_json,
    session_json,
)
from compliance.web.api.reading import request_body, request_form


@bp.post("/meetings")
@facilitator_required
@documented(
    "Create a meeting run by the caller",
    {201: Answer("The meeting", Meeting)},
    refusals=(400,),
    body=MeetingInput,
)
def create_meeting():
    body = request_body()
    meeting = meetings.create_meeting(
        g.api_user,
        name=body.name,
        program=body.program,
        timezone=body.timezone,
        min_presence_percent=body.min_presence_percent,
        platform=body.platform,
    )
    return jsonify(meeting_json(meeting)), 201


@bp.get("/meetings/<meeting_id>")
@facilitator_required
@documented("Show a meeting", {200: Answer("The meeting", Meeting)}, refusals=(404,))
def show_meeting(meeting_id: str):
    return jsonify(meeting_json(meetings.meeting_for(g.api_user, meeting_id)))


@bp.post("/meetings/<meeting_id>/sessions")
@facilitator_required
@documented(
    "Schedule a session of a meeting",
    {201: Answer("The session", Session)},
    refusals=(400, 404),
    body=SessionInput,
)
def open_session(meeting_id: str):
    meetings.meeting_for(g.api_user, meeting_id)  # unknown meeting: 404 before body errors
    body = request_body()
    session = meetings.open_session(g.api_user, meeting_id, body.starts_at, body.ends_at)
    return jsonify(session_json(session)), 201


@bp.get("/sessions/<session_id>")
@facilitator_required
@documented("Show a session", {200: Answer("The session", Session)}, refusals=(404,))
def show_session(session_id: str):
    return jsonify(session_json(meetings.session_for(g.api_user, session_id)))


@bp.post("/sessions/<session_id>/attendance")
@facilitator_required
@documented(
    "Record one stretch of presence; one person's entries add up",
    {201: Answer("The person's roster entry", RosterEntry)},
    refusals=(400, 404, 409),
    body=AttendanceInput,
)
def record_attendance(session_id: str):
    meetings.session_for(g.api_user, session_id)
    body = request_body()
    person = attendance.record_attendance(
        g.api_user,
        session_id,
        name=body.name,
        email=body.email,
        joined_at=body.joined_at,
        left_at=body.left_at,
        note=body.note,
    )
    session = meetings.session_for(g.api_user, session_id)
    entry = next(e for e in attendance.roster(session) if e.participant.id == person.id)
    return jsonify(roster_entry_json(entry)), 201


@bp.get("/sessions/<session_id>/roster")
@facilitator_required
@documented(
    "Everyone in the session with minutes present and whether they qualify",
    {200: Answer("The roster", Roster)},
    refusals=(404,),
)
def show_roster(session_id: str):
    session = meetings.session_for(g.api_user, session_id)
    return jsonify(
        {
            "session": session_json(session),
            "attendees": [roster_entry_json(e) for e in attendance.roster(session)],
        }
    )


@bp.post("/sessions/<session_id>/finalize")
@facilitator_required
@documented(
    "Sign the session: a record for every qualifying person, all or nothing",
    {200: Answer("The issued records", Finalized)},
    refusals=(404, 409, 422),
)
def finalize_session(session_id: str):
    records = finalize.finalize_session(g.api_user, session_id)
    return jsonify({"session_id": session_id, "records": [record_json(r) for r in records]})


@bp.post("/sessions/<session_id>/participant-report")
@facilitator_required
@documented(
    "Import a Zoom, Teams or Meet report (format read from its content)",
    {200: Answer("What was imported", ImportResult)},
    refusals=(400, 404, 409, 422),
    form=ReportUpload,
)
def import_participant_report(session_id: str):
    meetings.session_for(g.api_user, session_id)
    form = request_form()
    summary = imports.import_participant_report(
        g.api_user, session_id, form.file.read(), form.timezone
    )
    return jsonify(
        {
            "id": summary.id,
            "format": summary.format,
            "rows": summary.rows,
            "participants": summary.participants,
        }
    )


@bp.delete("/sessions/<session_id>/participant-report/<import_id>")
@facilitator_required
@documented(
    "Undo one import: everything it added goes, what it changed comes back",
    {204: Answer("Undone", media=None)},
    refusals=(404, 409),
)
def undo_participant_report(session_id: str, import_id: str):
    roster_edits.undo_import(g.api_user, session_id, import_id)
    return "", 204


@bp.patch("/sessions/<session_id>/attendees/<attendee_id>")
@facilitator_required
@documented(
    "Set the name this person's slip will print (unsigned sessions only)",
    {200: Answer("The person's roster entry", RosterEntry)},
    refusals=(400, 404, 409),
    body=RenameInput,
)
def rename_attendee(session_id: str, attendee_id: str):
    meetings.session_for(g.api_user, session_id)
    name = request_body().name
    person = roster_edits.rename_attendee(g.api_user, session_id, attendee_id, name)
    session = meetings.session_for(g.api_user, session_id)
    entry = next(e for e in attendance.roster(session) if e.participant.id == person.id)
    return jsonify(roster_entry_json(entry))


@bp.delete("/sessions/<session_id>/intervals/<interval_id>")
@facilitator_required
@documented(
    "Remove one stretch of presence (an optional reason is kept in the log)",
    {204: Answer("Removed", media=None)},
    refusals=(404, 409),
)
def remove_interval(session_id: str, interval_id: str):
    meetings.session_for(g.api_user, session_id)
    body = request.get_json(silent=True) if request.content_length else None
    reason = body.get("reason") if isinstance(body, dict) else request.args.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise InvalidInput("reason", "reason must be a string.")
    roster_edits.remove_interval(g.api_user, session_id, interval_id, reason)
    return "", 204


@bp.delete("/sessions/<session_id>")
@facilitator_required
@documented(
    "Cancel a session not signed: its codes stop, nothing is issued",
    {204: Answer("Cancelled", media=None)},
    refusals=(404, 409),
)
def cancel_session(session_id: str):
    roster_edits.cancel_session(g.api_user, session_id)
    return "", 204
