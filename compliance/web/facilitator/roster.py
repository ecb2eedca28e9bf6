"""Changes by hand to a session's roster; each one keeps the reason the facilitator gave."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from compliance.services import attendance, meetings, roster_edits
from compliance.services.errors import Conflict, InvalidInput, Unprocessable
from compliance.web.facilitator.blueprint import bp
from compliance.web.facilitator.forms import (
    CloseForm,
    NameForm,
    OptionalReasonForm,
    PersonByHandForm,
    ReasonForm,
    TimeSpanForm,
)
from compliance.web.facilitator.sessions import render_session_page
from compliance.web.local_time import NoSuchLocalTime, after, same_day_span_near_window


def _back(session_id: str, message: str, anchor: str = "roster"):
    flash(message, "success")
    return redirect(url_for("facilitator.session_page", session_id=session_id, _anchor=anchor))


def _refuse(session_id: str, kind: str, target_id: str | None, form):
    """Show the session page again with this one form open and its errors."""
    session = meetings.session_for(current_user, session_id)
    failed = {"kind": kind, "id": target_id, "form": form}
    extra = {"person_form": form} if kind == "person" else {}
    return render_session_page(session, 400, failed=failed, **extra)


FIELD_FOR = {"joined_at": "joined", "left_at": "left"}


def _attach(form, error: InvalidInput | Unprocessable | Conflict) -> None:
    """Show a service's refusal next to the field it is about."""
    field_name = error.details.get("field", "")
    name = FIELD_FOR.get(field_name, field_name)
    field = getattr(form, name, None) or form.reason
    field.errors = [*field.errors, error.message]


def _span(session_id: str, form):
    session = meetings.session_for(current_user, session_id)
    window = (session.starts_at, session.ends_at)
    return same_day_span_near_window(
        form.joined.data, form.left.data, window, session.meeting.timezone
    )


@bp.post("/sessions/<session_id>/people")
def add_person(session_id: str):
    form = PersonByHandForm()
    if form.validate_on_submit():
        try:
            joined, left = _span(session_id, form)
            person = attendance.add_person_by_hand(
                current_user,
                session_id,
                form.name.data,
                form.email.data or None,
                joined,
                left,
                form.reason.data,
            )
        except NoSuchLocalTime as error:
            form.joined.errors = [str(error)]
        except (InvalidInput, Unprocessable, Conflict) as error:
            _attach(form, error)
        else:
            return _back(session_id, f"Added time for {person.name}.", f"p-{person.id}")
    return _refuse(session_id, "person", None, form)


@bp.post("/sessions/<session_id>/people/<person_id>/time")
def add_time(session_id: str, person_id: str):
    form = TimeSpanForm()
    if form.validate_on_submit():
        try:
            joined, left = _span(session_id, form)
            attendance.add_time_by_hand(
                current_user, session_id, person_id, joined, left, form.reason.data
            )
        except NoSuchLocalTime as error:
            form.joined.errors = [str(error)]
        except (InvalidInput, Unprocessable) as error:
            _attach(form, error)
        else:
            return _back(session_id, "Time added.", f"p-{person_id}")
    return _refuse(session_id, "time", person_id, form)


@bp.post("/sessions/<session_id>/people/<person_id>/name")
def rename_person(session_id: str, person_id: str):
    form = NameForm()
    if form.validate_on_submit():
        try:
            person = roster_edits.rename_attendee(
                current_user, session_id, person_id, form.name.data
            )
        except InvalidInput as error:
            form.name.errors = [error.message]
        else:
            return _back(session_id, f"The slip will read “{person.name}”.", f"p-{person_id}")
    return _refuse(session_id, "name", person_id, form)


@bp.post("/sessions/<session_id>/intervals/<interval_id>/remove")
def remove_interval(session_id: str, interval_id: str):
    form = OptionalReasonForm()
    if form.validate_on_submit():
        roster_edits.remove_interval(current_user, session_id, interval_id, form.reason.data)
        return _back(session_id, "Time removed; the reason is kept in the log.")
    return _refuse(session_id, "remove", interval_id, form)


@bp.post("/sessions/<session_id>/people/<person_id>/exclude")
def exclude(session_id: str, person_id: str):
    form = ReasonForm()
    if form.validate_on_submit():
        attendance.exclude_participant(current_user, session_id, person_id, form.reason.data)
        return _back(session_id, "Excluded: no slip will be issued to them.", f"p-{person_id}")
    return _refuse(session_id, "exclude", person_id, form)


@bp.post("/sessions/<session_id>/people/<person_id>/include")
def include(session_id: str, person_id: str):
    attendance.include_participant(current_user, session_id, person_id)
    return _back(session_id, "Included again.", f"p-{person_id}")


@bp.post("/sessions/<session_id>/people/<person_id>/host-slip")
def allow_host_slip(session_id: str, person_id: str):
    form = ReasonForm()
    if form.validate_on_submit():
        attendance.allow_host_slip(current_user, session_id, person_id, form.reason.data)
        return _back(session_id, "This host will get a slip if they qualify.", f"p-{person_id}")
    return _refuse(session_id, "host", person_id, form)


@bp.post("/sessions/<session_id>/people/<person_id>/host-slip/undo")
def withhold_host_slip(session_id: str, person_id: str):
    attendance.withhold_host_slip(current_user, session_id, person_id)
    return _back(session_id, "Treated as a host again: no slip.", f"p-{person_id}")


@bp.post("/sessions/<session_id>/intervals/<interval_id>/close")
def close_interval(session_id: str, interval_id: str):
    form = CloseForm()
    if form.validate_on_submit():
        session = meetings.session_for(current_user, session_id)
        interval = next(
            (i for p in session.participants for i in p.intervals if i.id == interval_id), None
        )
        if interval is None:
            abort(404)
        try:
            left = after(interval.joined_at, form.left.data, session.meeting.timezone)
            attendance.close_interval_by_hand(
                current_user, session_id, interval_id, left, form.reason.data
            )
        except NoSuchLocalTime as error:
            form.left.errors = [str(error)]
        except (InvalidInput, Unprocessable) as error:
            _attach(form, error)
        else:
            return _back(session_id, "Check-out time recorded.", f"p-{interval.participant_id}")
    return _refuse(session_id, "close", interval_id, form)
