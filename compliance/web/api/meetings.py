"""Facilitator calls: meetings, sessions, attendance, roster, signing."""

from __future__ import annotations

from flask import g, jsonify, request

from compliance.services import attendance, finalize, imports, meetings, roster_edits
from compliance.services.errors import InvalidInput
from compliance.web.api import bp
from compliance.web.api.auth import facilitator_required
from compliance.web.api.inputs import instant, integer, json_body, text
from compliance.web.api.presenters import (
    meeting_json,
    record_json,
    roster_entry_json,
    session_json,
)


@bp.post("/meetings")
@facilitator_required
def create_meeting():
    body = json_body()
    meeting = meetings.create_meeting(
        g.api_user,
        name=text(body, "name", max_length=200),
        program=text(body, "program", max_length=200),
        timezone=text(body, "timezone", max_length=64),
        min_presence_percent=integer(body, "min_presence_percent", default=80),
        platform=text(body, "platform", required=False, max_length=200),
    )
    return jsonify(meeting_json(meeting)), 201


@bp.get("/meetings/<meeting_id>")
@facilitator_required
def show_meeting(meeting_id: str):
    return jsonify(meeting_json(meetings.meeting_for(g.api_user, meeting_id)))


@bp.post("/meetings/<meeting_id>/sessions")
@facilitator_required
def open_session(meeting_id: str):
    meetings.meeting_for(g.api_user, meeting_id)  # unknown meeting: 404 before body errors
    body = json_body()
    session = meetings.open_session(
        g.api_user, meeting_id, instant(body, "starts_at"), instant(body, "ends_at")
    )
    return jsonify(session_json(session)), 201


@bp.get("/sessions/<session_id>")
@facilitator_required
def show_session(session_id: str):
    return jsonify(session_json(meetings.session_for(g.api_user, session_id)))


@bp.post("/sessions/<session_id>/attendance")
@facilitator_required
def record_attendance(session_id: str):
    meetings.session_for(g.api_user, session_id)
    body = json_body()
    person = attendance.record_attendance(
        g.api_user,
        session_id,
        name=text(body, "name", max_length=500),
        email=text(body, "email", required=False, max_length=254),
        joined_at=instant(body, "joined_at"),
        left_at=instant(body, "left_at"),
        note=text(body, "note", required=False, max_length=500),
    )
    session = meetings.session_for(g.api_user, session_id)
    entry = next(e for e in attendance.roster(session) if e.participant.id == person.id)
    return jsonify(roster_entry_json(entry)), 201


@bp.get("/sessions/<session_id>/roster")
@facilitator_required
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
def finalize_session(session_id: str):
    records = finalize.finalize_session(g.api_user, session_id)
    return jsonify({"session_id": session_id, "records": [record_json(r) for r in records]})


@bp.post("/sessions/<session_id>/participant-report")
@facilitator_required
def import_participant_report(session_id: str):
    meetings.session_for(g.api_user, session_id)
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("file", "Attach the participant report as the multipart field 'file'.")
    timezone = request.form.get("timezone", "").strip() or None
    if timezone is not None and len(timezone) > 64:
        raise InvalidInput("timezone", "timezone must be at most 64 characters.")
    summary = imports.import_participant_report(g.api_user, session_id, upload.read(), timezone)
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
def undo_participant_report(session_id: str, import_id: str):
    roster_edits.undo_import(g.api_user, session_id, import_id)
    return "", 204


@bp.patch("/sessions/<session_id>/attendees/<participant_id>")
@facilitator_required
def rename_attendee(session_id: str, participant_id: str):
    meetings.session_for(g.api_user, session_id)
    body = json_body()
    person = roster_edits.rename_attendee(
        g.api_user, session_id, participant_id, text(body, "name", max_length=500)
    )
    session = meetings.session_for(g.api_user, session_id)
    entry = next(e for e in attendance.roster(session) if e.participant.id == person.id)
    return jsonify(roster_entry_json(entry))


@bp.delete("/sessions/<session_id>/intervals/<interval_id>")
@facilitator_required
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
def cancel_session(session_id: str):
    roster_edits.cancel_session(g.api_user, session_id)
    return "", 204
