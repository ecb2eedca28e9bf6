"""The page a facilitator keeps open during a meeting: codes, live roster, import, signing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from compliance.domain.reports.catalogue import READABLE_SHAPES, READING_NOTES
from compliance.extensions import db
from compliance.models import MeetingSession, Participant
from compliance.models.meetings import SessionStatus
from compliance.services import (
    attendance,
    attendance_sheets,
    checkin,
    finalize,
    imports,
    meetings,
    roster_edits,
)
from compliance.services.attendance import RosterEntry
from compliance.services.errors import Conflict, InvalidInput, Unprocessable
from compliance.services.links import absolute
from compliance.web.facilitator.blueprint import bp, explain_conflict
from compliance.web.facilitator.forms import ImportForm, PersonByHandForm
from compliance.web.facilitator.qr import qr_svg


@dataclass(frozen=True)
class RosterSummary:
    """Counts shown above the roster and on the signing step."""

    entries: list[RosterEntry]

    @property
    def version(self) -> str:
        """Return a stamp that changes whenever anything shown in the roster changes."""
        state = [
            (
                e.participant.id,
                e.participant.name,
                e.participant.is_host,
                e.participant.excluded_reason,
                e.presence.seconds,
                [(i.id, i.left_at, i.note) for i in e.participant.intervals],
            )
            for e in self.entries
        ]
        return hashlib.sha256(repr(state).encode()).hexdigest()[:16]

    @property
    def slips(self) -> list[RosterEntry]:
        return [e for e in self.entries if e.issues_slip]

    @property
    def not_checked_out(self) -> list[RosterEntry]:
        return [e for e in self.entries if attendance.open_intervals(e.participant)]

    @property
    def hosts(self) -> list[RosterEntry]:
        return [e for e in self.entries if e.participant.is_host]

    @property
    def excluded(self) -> list[RosterEntry]:
        return [e for e in self.entries if e.participant.excluded_reason]

    @property
    def too_short(self) -> list[RosterEntry]:
        return [
            e
            for e in self.entries
            if not e.presence.qualifies
            and not e.participant.is_host
            and not e.participant.excluded_reason
        ]


def checkin_url(session: MeetingSession) -> str:
    return absolute(url_for("checkin.checkin_page", code=session.checkin_code))


def _load_roster(session: MeetingSession) -> None:
    """Load everyone's intervals in one query, not one per person (reports can be large)."""
    db.session.scalars(
        sa.select(Participant)
        .where(Participant.session_id == session.id)
        .options(so.selectinload(Participant.intervals))
    ).all()


def session_context(session: MeetingSession, **overrides) -> dict:
    """Return everything the session page and its roster fragment show."""
    _load_roster(session)
    is_open = session.status == SessionStatus.OPEN
    link = checkin_url(session)
    opens, closes = checkin.window_of(session)
    context = {
        "session": session,
        "meeting": session.meeting,
        "zone": session.meeting.timezone,
        "is_open": is_open,
        "summary": RosterSummary(attendance.roster(session)),
        "records": [] if is_open else meetings.records_of(current_user, session.id),
        "is_over": checkin.now() > session.ends_at,
        "refresh_seconds": current_app.config.get("ROSTER_REFRESH_SECONDS", 15),
        "checkin_url": link,
        "checkin_home": absolute(url_for("checkin.type_code")),
        "checkin_qr": qr_svg(link, "QR code of the check-in link") if is_open else None,
        "codes_open": opens,
        "codes_close": closes,
        "import_form": ImportForm(formdata=None),
        "readable_shapes": READABLE_SHAPES,
        "reading_notes": READING_NOTES,
        "imports": imports.imports_of(session) if is_open else [],
        "person_form": PersonByHandForm(formdata=None),
        "failed": None,
    }
    context.update(overrides)
    return context


def render_session_page(session: MeetingSession, status: int = 200, **overrides):
    return render_template("facilitator/session.html", **session_context(session, **overrides)), (
        status
    )


@bp.get("/sessions/<session_id>")
def session_page(session_id: str):
    return render_session_page(meetings.session_for(current_user, session_id))


@bp.get("/sessions/<session_id>/roster")
def roster_fragment(session_id: str):
    """Return only the roster, for the page's refresh script."""
    session = meetings.session_for(current_user, session_id)
    return render_template("facilitator/_roster.html", **session_context(session))


@bp.post("/sessions/<session_id>/reveal-checkout")
def reveal_checkout(session_id: str):
    checkin.reveal_checkout_code(current_user, session_id)
    flash("Check-out code shown: attendees can check out from now on.", "success")
    return redirect(url_for("facilitator.session_page", session_id=session_id, _anchor="checkout"))


@bp.post("/sessions/<session_id>/import")
def import_report(session_id: str):
    session = meetings.session_for(current_user, session_id)
    form = ImportForm()
    if form.validate_on_submit():
        data = form.report.data.read()
        zone = (form.timezone.data or "").strip() or None
        try:
            summary = imports.import_participant_report(current_user, session_id, data, zone)
        except Unprocessable as error:
            line = error.details.get("line")
            prefix = f"Line {line}: " if line and f"line {line}" not in error.message else ""
            form.report.errors = [prefix + error.message]
        except InvalidInput as error:
            form.timezone.errors = [error.message]
        else:
            flash(
                f"Imported a {summary.format} report: {summary.rows} rows, "
                f"{summary.participants} people. Check the roster below.",
                "success",
            )
            return redirect(url_for("facilitator.session_page", session_id=session_id))
    return render_session_page(session, 400, import_form=form)


def _private_file(body, mimetype: str, disposition: str) -> Response:
    """Answer with a file only the facilitator should keep: never cached along the way."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


@bp.get("/sessions/<session_id>/sheet.pdf")
def attendance_sheet_pdf(session_id: str):
    pdf = attendance_sheets.sheet_pdf(current_user, session_id)
    return _private_file(pdf, "application/pdf", 'inline; filename="attendance-sheet.pdf"')


@bp.get("/sessions/<session_id>/sheet.csv")
def attendance_sheet_csv(session_id: str):
    csv_text = attendance_sheets.sheet_csv(current_user, session_id)
    return _private_file(csv_text, "text/csv", 'attachment; filename="attendance-sheet.csv"')


@bp.post("/sessions/<session_id>/imports/<import_id>/undo")
def undo_import(session_id: str, import_id: str):
    try:
        roster_edits.undo_import(current_user, session_id, import_id)
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash("Import undone: everything it added is gone from the roster.", "success")
    return redirect(url_for("facilitator.session_page", session_id=session_id, _anchor="roster"))


@bp.post("/sessions/<session_id>/cancel")
def cancel_session(session_id: str):
    try:
        roster_edits.cancel_session(current_user, session_id)
    except Conflict as error:
        flash(error.message, "error")
        return redirect(url_for("facilitator.session_page", session_id=session_id))
    flash("Session cancelled: its codes no longer work and it no longer waits for you.", "success")
    return redirect(url_for("facilitator.dashboard"))


@bp.get("/sessions/<session_id>/sign")
def confirm_signing(session_id: str):
    session = meetings.session_for(current_user, session_id)
    if session.status != SessionStatus.OPEN:
        return redirect(url_for("facilitator.session_page", session_id=session_id))
    return render_template("facilitator/sign.html", **session_context(session))


@bp.post("/sessions/<session_id>/sign")
def sign_session(session_id: str):
    try:
        records = finalize.finalize_session(current_user, session_id)
    except Conflict as error:  # signed in another tab, or the meeting has not ended yet
        return explain_conflict(error)
    except Unprocessable as error:
        flash(error.message, "error")
        return redirect(url_for("facilitator.session_page", session_id=session_id))
    count = len(records)
    flash(
        f"Session signed: {count} slip{'s' if count != 1 else ''} issued. "
        "Send each person their slip link below.",
        "success",
    )
    return redirect(url_for("facilitator.session_page", session_id=session_id, _anchor="records"))
