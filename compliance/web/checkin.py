"""Attendees check in and out with the facilitator's codes: no account, only a name.

The browser remembers who checked in (participant id per session, in the signed session
cookie), so a rejoin or the check-out needs no retyping.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from compliance.domain.slips.labels import labels_for
from compliance.i18n import chosen_language
from compliance.models import MeetingSession
from compliance.services import (
    checkin,
    links,  # noqa: E402
)
from compliance.services.errors import InvalidInput
from compliance.services.mail_transport import mail_enabled
from compliance.web import local_time
from compliance.web.attendee import language_from_query, language_links, never_cached
from compliance.web.checked_in import remember_participant, remembered_participant
from compliance.web.forms import CheckInForm, CheckOutForm, CodeForm
from compliance.web.limits import meeting_codes_limit, note_wrong_meeting_code

bp = Blueprint("checkin", __name__)
local_time.register_filters(bp)
bp.before_request(language_from_query)
bp.context_processor(language_links)
# A check-in page shows who checked in and their page link: not for a shared device's history.
bp.after_request(never_cached)

def _wrong_code(error: checkin.WrongCode, form: CodeForm | None = None):
    note_wrong_meeting_code()
    form = form or CodeForm(formdata=None)
    form.code.errors = [error.message]
    return render_template("checkin/code.html", form=form), 404


def _not_now(error: checkin.CodeNotUsableNow):
    signed = isinstance(error, checkin.SessionSigned)
    return render_template("checkin/closed.html", message=error.message, signed=signed), 409


@bp.context_processor
def mail_state() -> dict:
    """Pages tell attendees whether email is on: what they can expect in their inbox."""
    return {"mail_on": mail_enabled()}


@bp.context_processor
def dates_in_the_page_language() -> dict:
    def meeting_day(moment, zone: str) -> str:
        """Return "Tuesday 4 March 2025" or "Martes 4 de marzo de 2025" in the meeting's zone."""
        if chosen_language() != "es":
            return local_time.day(moment, zone)
        when, labels = local_time.local(moment, zone), labels_for("es")
        weekday = labels.weekdays[when.weekday()].capitalize()
        return f"{weekday} {when.day} de {labels.months[when.month - 1]} de {when.year}"

    return {"meeting_day": meeting_day}


@bp.errorhandler(429)
def too_many_codes(error):
    return render_template("checkin/limited.html"), 429


def _typed_code(text: str | None) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:64]


@bp.errorhandler(CSRFError)
def form_expired(error):
    """A form left open too long (or posted from elsewhere): the same step again, fresh (400)."""
    flash(
        _(
            "This form has expired or came from another site, so nothing was saved. "
            "Please try again."
        ),
        "error",
    )
    code = _typed_code(request.form.get("code") or (request.view_args or {}).get("code"))
    try:
        if request.endpoint == "checkin.check_out" and code:
            meeting_session = checkin.session_for_checkout(code)
            return _render_checkout(meeting_session, CheckOutForm(formdata=None, code=code), 400)
        if request.endpoint in ("checkin.check_in", "checkin.forget") and code:
            return _render_checkin(checkin.session_for_checkin(code), code, status=400)
    except (checkin.WrongCode, checkin.CodeNotUsableNow):
        pass
    return render_template("checkin/code.html", form=CodeForm(formdata=None)), 400


@bp.route("/checkin", methods=["GET", "POST"])
@meeting_codes_limit
def type_code():
    """Take either code: the check-in code, or later the check-out code."""
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("checkin/code.html", form=form), 400 if form.is_submitted() else 200
    try:
        kind = checkin.code_kind(form.code.data)
    except checkin.WrongCode as error:
        return _wrong_code(error, form)
    code = _typed_code(form.code.data)
    page = "checkin.checkin_page" if kind == "checkin" else "checkin.checkout_page"
    return redirect(url_for(page, code=code))


def _my_page_url(state) -> str | None:
    """Show the attendance page link only to the browser that checked in with it, or that
    had the page made by its own check-in (the person is remembered only by a check-in POST)."""
    person = state.participant
    if person is None or person.attendee_id is None:
        return None
    if person.attendee_via not in ("checkin", "page"):
        return None
    return links.attendee_url(person.attendee)


def _render_checkin(meeting_session: MeetingSession, code: str, form=None, status=200):
    state = checkin.state_of(meeting_session, remembered_participant(meeting_session))
    return (
        render_template(
            "checkin/checkin.html",
            meeting_session=meeting_session,
            meeting=meeting_session.meeting,
            code=code,
            state=state,
            form=form or CheckInForm(formdata=None),
            checkout_form=CheckOutForm(formdata=None),
            my_page_url=_my_page_url(state),
        ),
        status,
    )


@bp.get("/checkin/<code>")
@meeting_codes_limit
def checkin_page(code: str):
    try:
        meeting_session = checkin.session_for_checkin(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    return _render_checkin(meeting_session, code)


@bp.post("/checkin/<code>")
@meeting_codes_limit
def check_in(code: str):
    try:
        meeting_session = checkin.session_for_checkin(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    known = remembered_participant(meeting_session) if request.form.get("again") else None
    form = CheckInForm()
    if known is None and not form.validate_on_submit():
        return _render_checkin(meeting_session, code, form, 400)
    try:
        person = checkin.check_in(
            code,
            form.name.data,
            form.email.data or None,
            known,
            # Someone new gets their attendance page, and their slips, in the page's language.
            language=chosen_language(),
        )
    except InvalidInput as error:
        getattr(form, error.field, form.name).errors = [error.message]
        return _render_checkin(meeting_session, code, form, 400)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    remember_participant(meeting_session, person.id)
    return redirect(url_for("checkin.checkin_page", code=code, _anchor="status"))


def _render_checkout(meeting_session: MeetingSession, form: CheckOutForm, status=200):
    state = checkin.state_of(meeting_session, remembered_participant(meeting_session))
    return (
        render_template(
            "checkin/checkout.html",
            meeting_session=meeting_session,
            meeting=meeting_session.meeting,
            state=state,
            form=form,
            my_page_url=_my_page_url(state),
        ),
        status,
    )


@bp.get("/checkout/<code>")
@meeting_codes_limit
def checkout_page(code: str):
    try:
        meeting_session = checkin.session_for_checkout(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    return _render_checkout(meeting_session, CheckOutForm(formdata=None, code=code))


@bp.post("/checkout")
@meeting_codes_limit
def check_out():
    form = CheckOutForm()
    if not form.validate_on_submit() and (form.code.errors or not form.code.data):
        code_form = CodeForm(formdata=None, code=form.code.data)
        code_form.code.errors = list(form.code.errors)
        return render_template("checkin/code.html", form=code_form), 400
    code = form.code.data
    try:
        meeting_session = checkin.session_for_checkout(code)
    except checkin.WrongCode as error:
        if _is_a_checkin_code(code):
            form.code.errors = [
                _(
                    "This is the check-in code. To check out, type the check-out code the "
                    "facilitator shows near the end of the meeting."
                )
            ]
            return render_template("checkin/code.html", form=_code_form_with(form)), 400
        return _wrong_code(error, CodeForm(formdata=None, code=code))
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    if form.errors:  # the code is right; another field is not
        return _render_checkout(meeting_session, form, 400)
    known = remembered_participant(meeting_session)
    if known is None and not form.name.data:
        form.name.errors = [_("Enter the name you checked in with.")]
        return _render_checkout(meeting_session, form, 400)
    try:
        done = checkin.check_out(code, known, form.name.data, form.email.data or None)
    except InvalidInput as error:
        getattr(form, error.field, form.name).errors = [error.message]
        return _render_checkout(meeting_session, form, 400)
    except checkin.CodeNotUsableNow as error:
        form.code.errors = [error.message]
        return _render_checkout(meeting_session, form, 409)
    _say_what_check_out_did(done, meeting_session)
    if known is None:
        # Found by name and email: say it worked, but this browser does not become that person
        # (it could be anyone who knows them), so nothing of theirs is shown here later.
        return _checked_out(meeting_session, done.interval)
    return redirect(url_for("checkin.checkout_page", code=meeting_session.checkout_code))


def _is_a_checkin_code(code: str) -> bool:
    try:
        return checkin.code_kind(code) == "checkin"
    except checkin.WrongCode:
        return False


def _code_form_with(form: CheckOutForm) -> CodeForm:
    code_form = CodeForm(formdata=None, code=form.code.data)
    code_form.code.errors = list(form.code.errors)
    return code_form


def _say_what_check_out_did(done, meeting_session: MeetingSession) -> None:
    """Tell the attendee about check-ins a drop left open: closed too, counting nothing."""
    zone = meeting_session.meeting.timezone
    for interval in done.earlier:
        flash(
            _(
                "Your earlier check-in at %(time)s, left open when your connection dropped, is "
                "closed too and counts nothing: tell the facilitator when you dropped out, so "
                "that time can count.",
                time=local_time.clock(interval.joined_at, zone),
            ),
            "info",
        )


def _checked_out(meeting_session: MeetingSession, interval):
    return render_template(
        "checkin/checkout.html",
        meeting_session=meeting_session,
        meeting=meeting_session.meeting,
        state=checkin.CheckInState(interval.participant),
        form=CheckOutForm(formdata=None),
    )


@bp.post("/checkin/forget")
def forget():
    """Let someone else check in on this device ("Not you?"): forget everything it held."""
    session.clear()
    code = request.form.get("code", "")
    if code:
        return redirect(url_for("checkin.checkin_page", code=code))
    return redirect(url_for("checkin.type_code"))
