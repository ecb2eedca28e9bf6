"""The dashboard, meetings (create, edit, co-facilitators) and opening a session."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from compliance.domain.programs import known_timezones
from compliance.domain.weekly import WEEKDAYS
from compliance.models import Meeting
from compliance.services import checkin, meetings, schedule
from compliance.services.errors import Conflict, InvalidInput
from compliance.web.facilitator.blueprint import bp
from compliance.web.facilitator.forms import CoFacilitatorForm, MeetingForm, SessionForm
from compliance.web.local_time import NoSuchLocalTime, to_utc


def _show_error(form, error: InvalidInput, fallback: str) -> None:
    field = getattr(form, error.field, None) or getattr(form, fallback)
    field.errors = [*field.errors, error.message]


@bp.get("/")
def dashboard():
    now = checkin.now()
    schedule.open_upcoming_for(current_user, now)
    unsigned = meetings.unsigned_sessions_of(current_user)
    return render_template(
        "facilitator/dashboard.html",
        meetings=meetings.meetings_of(current_user),
        upcoming=[s for s in unsigned if s.ends_at >= now],
        to_sign=[s for s in unsigned if s.ends_at < now],
    )


def _meeting_form(meeting: Meeting | None = None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    if meeting is None:
        return form
    if not form.is_submitted() or "weekly_day" not in request.form:
        form.weekly_day.data = "" if meeting.weekly_day is None else str(meeting.weekly_day)
    # Meetings made through the API may name a program or platform the lists do not have.
    for field, value in ((form.program, meeting.program), (form.platform, meeting.platform)):
        if value and value not in {choice.value for choice in field.choices}:
            field.choices = [*field.choices, SelectChoice(value)]
    return form


def _render_meeting_form(form: MeetingForm, meeting: Meeting | None, status: int = 200):
    return (
        render_template(
            "facilitator/meeting_form.html",
            form=form,
            meeting=meeting,
            timezones=sorted(known_timezones()),
        ),
        status,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
def new_meeting():
    form = _meeting_form()
    if not form.validate_on_submit():
        return _render_meeting_form(form, None, 400 if form.is_submitted() else 200)
    try:
        meeting = meetings.create_meeting(
            current_user,
            name=form.name.data,
            program=form.program.data,
            timezone=form.timezone.data.strip(),
            min_presence_percent=form.min_presence_percent.data,
            platform=form.platform.data or None,
        )
        meetings.set_usual_slot(
            current_user, meeting.id, form.usual_start.data, form.usual_minutes.data
        )
        schedule.set_weekly_day(current_user, meeting.id, _weekday(form))
    except InvalidInput as error:
        _show_error(form, error, "name")
        return _render_meeting_form(form, None, 400)
    flash(f"Meeting “{meeting.name}” created. Now open its first session.", "success")
    return redirect(url_for("facilitator.meeting_page", meeting_id=meeting.id))


@bp.route("/meetings/<meeting_id>/edit", methods=["GET", "POST"])
def edit_meeting(meeting_id: str):
    meeting = meetings.meeting_for(current_user, meeting_id)
    form = _meeting_form(meeting)
    if not form.validate_on_submit():
        return _render_meeting_form(form, meeting, 400 if form.is_submitted() else 200)
    try:
        meetings.update_meeting(
            current_user,
            meeting_id,
            name=form.name.data,
            program=form.program.data,
            timezone=form.timezone.data.strip(),
            min_presence_percent=form.min_presence_percent.data,
            platform=form.platform.data or None,
            usual_start=form.usual_start.data,
            usual_minutes=form.usual_minutes.data,
        )
        schedule.set_weekly_day(current_user, meeting_id, _weekday(form))
    except InvalidInput as error:
        _show_error(form, error, "name")
        return _render_meeting_form(form, meeting, 400)
    flash("Meeting saved.", "success")
    return redirect(url_for("facilitator.meeting_page", meeting_id=meeting_id))


def _weekday(form: MeetingForm) -> int | None:
    value = form.weekly_day.data or ""
    if value == "":
        return None
    if not value.isdigit():
        raise InvalidInput("weekly_day", "Pick a day of the week from the list.")
    return int(value)


def _session_form(meeting: Meeting) -> SessionForm:
    """Return the open-a-session form pre-filled with today and the usual slot."""
    today = datetime.now(ZoneInfo(meeting.timezone)).date()
    return SessionForm(
        on_date=today, start=meeting.usual_start, minutes=meeting.usual_minutes or 60
    )


def _render_meeting_page(meeting: Meeting, session_form=None, cofac_form=None, status=200):
    upcoming = schedule.open_upcoming(meeting, checkin.now())
    only = request.args.get("show")
    sessions = meetings.sessions_of(meeting)
    if only == "to-sign":
        now = checkin.now()
        sessions = [s for s in sessions if s.status == "open" and s.ends_at < now]
    return (
        render_template(
            "facilitator/meeting.html",
            meeting=meeting,
            sessions=sessions,
            showing=only,
            upcoming=upcoming,
            weekday_name=WEEKDAYS[meeting.weekly_day] if meeting.weekly_day is not None else None,
            session_form=session_form or _session_form(meeting),
            cofac_form=cofac_form or CoFacilitatorForm(formdata=None),
        ),
        status,
    )


@bp.get("/meetings/<meeting_id>")
def meeting_page(meeting_id: str):
    return _render_meeting_page(meetings.meeting_for(current_user, meeting_id))


@bp.post("/meetings/<meeting_id>/sessions")
def open_session(meeting_id: str):
    meeting = meetings.meeting_for(current_user, meeting_id)
    form = SessionForm()
    if not form.validate_on_submit():
        return _render_meeting_page(meeting, session_form=form, status=400)
    try:
        starts_at = to_utc(form.on_date.data, form.start.data, meeting.timezone)
        ends_at = starts_at + timedelta(minutes=form.minutes.data)
        session = meetings.open_session(current_user, meeting_id, starts_at, ends_at)
    except NoSuchLocalTime as error:
        form.start.errors = [str(error)]
        return _render_meeting_page(meeting, session_form=form, status=400)
    except InvalidInput as error:
        form.on_date.errors = [error.message]
        return _render_meeting_page(meeting, session_form=form, status=400)
    flash("Session opened. Keep this page open during the meeting.", "success")
    return redirect(url_for("facilitator.session_page", session_id=session.id))


@bp.post("/meetings/<meeting_id>/weeks/<on>/skip")
def skip_week(meeting_id: str, on: str):
    try:
        schedule.skip_occurrence(current_user, meeting_id, date.fromisoformat(on))
    except ValueError:
        abort(404)
    except (InvalidInput, Conflict) as error:
        flash(error.message, "error")
    else:
        flash(f"No meeting on {on}: its session will not open.", "success")
    return redirect(url_for("facilitator.meeting_page", meeting_id=meeting_id))


@bp.post("/meetings/<meeting_id>/facilitators")
def add_cofacilitator(meeting_id: str):
    meeting = meetings.meeting_for(current_user, meeting_id)
    form = CoFacilitatorForm()
    if form.validate_on_submit():
        try:
            other = meetings.add_facilitator(current_user, meeting_id, form.email.data)
        except InvalidInput as error:
            form.email.errors = [error.message]
        else:
            flash(f"{other.display_name} can now run this meeting too.", "success")
            return redirect(url_for("facilitator.meeting_page", meeting_id=meeting_id))
    return _render_meeting_page(meeting, cofac_form=form, status=400)
