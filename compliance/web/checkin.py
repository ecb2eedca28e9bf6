"""Attendees check in and out with the facilitator's codes: no account, only a name.

The browser remembers who checked in (participant id per session, in the signed session
cookie), so a rejoin or the check-out needs no retyping.
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from compliance.domain.slip_labels import labels_for
from compliance.extensions import limiter
from compliance.i18n import chosen_language
from compliance.models import MeetingSession
from compliance.services import (
    checkin,
    links,  # noqa: E402
)
from compliance.services.errors import InvalidInput
from compliance.web import local_time
from compliance.web.attendee import (  # noqa: E402
    REMEMBERED_ATTENDEE,
    language_from_query,
    language_links,
)
from compliance.web.forms import CheckInForm, CheckOutForm, CodeForm

bp = Blueprint("checkin", __name__)
local_time.register_filters(bp)
bp.before_request(language_from_query)
bp.context_processor(language_links)

REMEMBERED = "checked_in"
REMEMBER_AT_MOST = 10
WRONG_CODES_ALLOWED = "10 per minute"


def _wrong_code_sent(response) -> bool:
    return g.get("wrong_code", False)


# One budget for every page that takes a code, spent only by codes that match no session.
codes_limit = limiter.shared_limit(WRONG_CODES_ALLOWED, scope="codes", deduct_when=_wrong_code_sent)


def _remembered_id(meeting_session: MeetingSession) -> str | None:
    return session.get(REMEMBERED, {}).get(meeting_session.id)


def _remember(meeting_session: MeetingSession, participant_id: str) -> None:
    known = dict(session.get(REMEMBERED, {}))
    known.pop(meeting_session.id, None)
    known[meeting_session.id] = participant_id
    session[REMEMBERED] = dict(list(known.items())[-REMEMBER_AT_MOST:])


def _wrong_code(error: checkin.WrongCode, form: CodeForm | None = None):
    g.wrong_code = True
    form = form or CodeForm(formdata=None)
    form.code.errors = [error.message]
    return render_template("checkin/code.html", form=form), 404


def _not_now(error: checkin.CodeNotUsableNow):
    return render_template("checkin/closed.html", message=error.message), 409


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
@codes_limit
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
    """Show the attendance page link only in the browser it belongs to."""
    person = state.participant
    if person is None or person.attendee_id is None:
        return None
    if session.get(REMEMBERED_ATTENDEE) != person.attendee_id:
        return None
    return links.attendee_url(person.attendee_id)


def _render_checkin(meeting_session: MeetingSession, code: str, form=None, status=200):
    state = checkin.state_of(meeting_session, _remembered_id(meeting_session))
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
@codes_limit
def checkin_page(code: str):
    try:
        meeting_session = checkin.session_for_checkin(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    return _render_checkin(meeting_session, code)


@bp.post("/checkin/<code>")
@codes_limit
def check_in(code: str):
    try:
        meeting_session = checkin.session_for_checkin(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    known = _remembered_id(meeting_session) if request.form.get("again") else None
    form = CheckInForm()
    if known is None and not form.validate_on_submit():
        return _render_checkin(meeting_session, code, form, 400)
    try:
        person = checkin.check_in(
            code,
            form.name.data,
            form.email.data or None,
            known,
            session.get(REMEMBERED_ATTENDEE),
            # Someone new gets their attendance page, and their slips, in the page's language.
            language=chosen_language(),
        )
    except InvalidInput as error:
        getattr(form, error.field, form.name).errors = [error.message]
        return _render_checkin(meeting_session, code, form, 400)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    _remember(meeting_session, person.id)
    if person.attendee_id:
        session[REMEMBERED_ATTENDEE] = person.attendee_id
    return redirect(url_for("checkin.checkin_page", code=code, _anchor="status"))


def _render_checkout(meeting_session: MeetingSession, form: CheckOutForm, status=200):
    state = checkin.state_of(meeting_session, _remembered_id(meeting_session))
    return (
        render_template(
            "checkin/checkout.html",
            meeting_session=meeting_session,
            meeting=meeting_session.meeting,
            state=state,
            form=form,
        ),
        status,
    )


@bp.get("/checkout/<code>")
@codes_limit
def checkout_page(code: str):
    try:
        meeting_session = checkin.session_for_checkout(code)
    except checkin.WrongCode as error:
        return _wrong_code(error)
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    return _render_checkout(meeting_session, CheckOutForm(formdata=None, code=code))


@bp.post("/checkout")
@codes_limit
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
        return _wrong_code(error, CodeForm(formdata=None, code=code))
    except checkin.CodeNotUsableNow as error:
        return _not_now(error)
    if form.errors:  # the code is right; another field is not
        return _render_checkout(meeting_session, form, 400)
    known = _remembered_id(meeting_session)
    if known is None and not form.name.data:
        form.name.errors = [_("Enter the name you checked in with.")]
        return _render_checkout(meeting_session, form, 400)
    try:
        interval = checkin.check_out(code, known, form.name.data, form.email.data or None)
    except InvalidInput as error:
        getattr(form, error.field, form.name).errors = [error.message]
        return _render_checkout(meeting_session, form, 400)
    except checkin.CodeNotUsableNow as error:
        form.code.errors = [error.message]
        return _render_checkout(meeting_session, form, 409)
    _remember(meeting_session, interval.participant_id)
    return redirect(url_for("checkin.checkout_page", code=meeting_session.checkout_code))


@bp.post("/checkin/forget")
def forget():
    """Let someone else check in on this device ("Not you?")."""
    session.pop(REMEMBERED, None)
    code = request.form.get("code", "")
    if code:
        return redirect(url_for("checkin.checkin_page", code=code))
    return redirect(url_for("checkin.type_code"))
