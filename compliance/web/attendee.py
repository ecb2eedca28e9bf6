"""An attendee's private page, reached only through their signed link: no account needed."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from compliance.extensions import limiter
from compliance.i18n import LANGUAGES, remember_language
from compliance.services import (
    attendees,
    case_consents,
    case_notices,
    checkin,
    email_proof,
    links,
    page_recovery,
    sharing,
    summaries,
)
from compliance.services.errors import Conflict, InvalidInput
from compliance.services.mail_transport import mail_enabled
from compliance.web.checked_in import remember_participant
from compliance.web.errors import handle_http_error
from compliance.web.forms import RecoverForm
from compliance.web.limits import (
    enrolment_codes_limit,
    meeting_codes_limit,
    note_wrong_enrolment_code,
    note_wrong_meeting_code,
)
from compliance.web.paper import requested_paper

bp = Blueprint("attendee", __name__)

def language_from_query() -> None:
    """Switch the page language with ?lang=es (the "English · Español" links), and remember it."""
    language = request.args.get("lang")
    if language in LANGUAGES:
        remember_language(language)


def language_links() -> dict:
    """Give templates language_url(code): this page again, in that language."""

    def language_url(language: str) -> str:
        rule = request.url_rule
        # A page shown in answer to a form (POST) is reached again through the code page.
        here = request.path if rule is not None and "GET" in (rule.methods or ()) else None
        return f"{here or url_for('checkin.type_code')}?lang={language}"

    return {"language_url": language_url}


bp.before_request(language_from_query)
bp.context_processor(language_links)


def never_cached(response: Response) -> Response:
    """Private pages and shared summaries: no browser, proxy or back button keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


bp.after_request(never_cached)


@bp.errorhandler(CSRFError)
def form_expired(error):
    """A form left open too long: the page again, with fresh forms and a word why (still 400)."""
    link = (request.view_args or {}).get("link")
    if link is None or attendees.attendee_for_link(link) is None:
        return handle_http_error(error)
    flash(
        _(
            "This form has expired or came from another site, so nothing was saved. "
            "Please try again."
        ),
        "error",
    )
    return page(link), 400


def _attendee_or_404(link: str):
    attendee = attendees.attendee_for_link(link)
    if attendee is None:
        abort(404)
    # Only the page's language is remembered: opening a link never ties this browser to the
    # page (check-ins join a page only when made from it).
    remember_language(attendee.language)
    return attendee


def _range_from_query():
    return attendees.check_range(
        attendees.parse_day(request.args.get("from")), attendees.parse_day(request.args.get("to"))
    )


@bp.get("/me/confirm/<token>")
def confirm_email(token: str):
    """A link from an email: the address is proven, and the person's record joins the page."""
    attendee = email_proof.prove(token)
    if attendee is None:
        message = _(
            "This link has expired or is not complete. Ask for a new link to your attendance "
            "page below."
        )
        return render_template("attendee/link_invalid.html", message=message), 404
    remember_language(attendee.language)
    flash(_("Thank you: your email address is confirmed. This is your attendance page."), "ok")
    return redirect(links.attendee_url(attendee), 303)


def _recover_address_key() -> str:
    """Rate-limit key of a recovery request: the address asked about, not the client."""
    return "recover:" + (request.form.get("email", "").strip().lower()[:254] or "-")


@bp.route("/me/recover", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_recover_address_key)
def recover():
    """Ask for the page link again; the answer on screen is the same for every address."""
    form = RecoverForm()
    if form.validate_on_submit():
        try:
            page_recovery.send_page_link(form.email.data)
        except InvalidInput as error:
            form.email.errors = [error.message]
        else:
            return render_template("attendee/recover_sent.html", mail_on=mail_enabled())
    status = 400 if form.is_submitted() else 200
    return render_template("attendee/recover.html", form=form, mail_on=mail_enabled()), status


@bp.get("/me/<link>")
def page(link: str):
    attendee = _attendee_or_404(link)
    return render_template(
        "attendee/page.html",
        attendee=attendee,
        link=link,
        records=attendees.records_of(attendee),
        shares=sharing.share_links_of(attendee),
        share_url=links.share_url,
        is_live=sharing.is_live,
        name=summaries.display_name(attendee),
        new_share=session.pop("new_share", None),
        mail_on=mail_enabled(),
        shared_cases=case_consents.consents_of(attendee),
    )


@bp.post("/me/<link>/rotate")
def rotate_link(link: str):
    """Give the page a new link; the old one (in old emails, or someone else's hands) stops."""
    attendee = _attendee_or_404(link)
    new_url = attendees.rotate_link(attendee)
    flash(_("Your page has a new link: this one. The old link no longer works."), "ok")
    return redirect(new_url, 303)


@bp.post("/me/<link>/name")
def change_name(link: str):
    attendee = _attendee_or_404(link)
    try:
        attendees.set_slip_name(attendee, request.form.get("name", ""))
        flash(_("Saved. Slips issued from now on will show this name."), "ok")
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(f"/me/{link}")


@bp.post("/me/<link>/checkin")
@meeting_codes_limit
def check_in(link: str):
    """Check in (or out) with a meeting's code from the page itself: the page's own link is the
    proof that the record belongs here."""
    attendee = _attendee_or_404(link)
    code = "".join(ch for ch in request.form.get("code", "").upper() if ch.isalnum())[:64]
    try:
        if checkin.code_kind(code) == "checkout":
            checkin.check_out_from_page(code, attendee)
            flash(_("You're checked out. Your slip is issued when the facilitator signs."), "ok")
            return redirect(f"/me/{link}#meeting")
        person = checkin.check_in_from_page(code, attendee)
    except checkin.WrongCode as error:
        note_wrong_meeting_code()
        flash(error.message, "error")
        return redirect(f"/me/{link}#meeting")
    except (checkin.CodeNotUsableNow, InvalidInput) as error:
        flash(error.message, "error")
        return redirect(f"/me/{link}#meeting")
    remember_participant(person.session, person.id)
    return redirect(url_for("checkin.checkin_page", code=code, _anchor="status"))


@bp.post("/me/<link>/cases")
@enrolment_codes_limit
def link_case(link: str):
    """Link the page to an officer's case with the code they gave: the attendee's consent."""
    attendee = _attendee_or_404(link)
    try:
        case_consents.link_case(attendee, request.form.get("enrolment_code", "")[:64])
    except case_consents.WrongEnrolmentCode:
        note_wrong_enrolment_code()
        flash(
            _(
                "No case has this code, or it has been used already. Check the code with your "
                "officer. Nothing was shared."
            ),
            "error",
        )
    except Conflict:
        flash(_("This page is linked to that case already."), "info")
    else:
        flash(_("Linked. Your officer now sees your progress for that case."), "ok")
    return redirect(f"/me/{link}#cases")


@bp.post("/me/<link>/cases/<consent_id>/withdraw")
def withdraw_case(link: str, consent_id: str):
    attendee = _attendee_or_404(link)
    case_consents.withdraw_consent(attendee, consent_id)
    flash(_("Withdrawn. That officer no longer sees anything from this page."), "ok")
    return redirect(f"/me/{link}#cases")


@bp.post("/me/<link>/cases/reminders")
def set_case_reminders(link: str):
    """Turn the email reminders of a week about to close short on or off."""
    attendee = _attendee_or_404(link)
    on = request.form.get("reminders") == "on"
    case_notices.set_reminders(attendee, on)
    flash(_("Reminders are on.") if on else _("Reminders are off."), "ok")
    return redirect(f"/me/{link}#cases")


@bp.post("/me/<link>/language")
def change_language(link: str):
    attendee = _attendee_or_404(link)
    try:
        attendees.set_language(attendee, request.form.get("language", ""))
        remember_language(attendee.language)
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(f"/me/{link}")


@bp.get("/me/<link>/summary.pdf")
def summary_pdf(link: str):
    attendee = _attendee_or_404(link)
    document = summaries.summary_for(attendee, *_range_from_query())
    filename = f"attendance-summary-{document.date_from}-{document.date_to}.pdf"
    return Response(
        summaries.download_summary(document, requested_paper()),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Vary": "Accept-Language",
        },
    )


@bp.get("/me/<link>/summary.csv")
def summary_csv(link: str):
    attendee = _attendee_or_404(link)
    date_from, date_to = _range_from_query()
    return Response(
        summaries.summary_csv(attendee, date_from, date_to),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="attendance-{date_from}-{date_to}.csv"',
        },
    )


@bp.post("/me/<link>/shares")
def create_share(link: str):
    attendee = _attendee_or_404(link)
    days = request.form.get("expires_in_days", "").strip()
    try:
        share = sharing.create_share_link(
            attendee,
            attendees.parse_day(request.form.get("from")),
            attendees.parse_day(request.form.get("to")),
            int(days) if days.isdigit() else None,
            request.form.get("label"),
        )
        # Said next to the new link (the page opens at it), not at the top of the page.
        session["new_share"] = share.id
    except InvalidInput as error:
        flash(error.message, "error")
    return redirect(f"/me/{link}#share")


@bp.post("/me/<link>/shares/<share_id>/revoke")
def revoke_share(link: str, share_id: str):
    attendee = _attendee_or_404(link)
    sharing.revoke_share_link(attendee, share_id)
    flash(_("The link no longer works."), "ok")
    return redirect(f"/me/{link}#share")


@bp.get("/share/<link>")
def shared_summary(link: str):
    shared = sharing.open_share_link(link)
    return render_template("attendee/shared.html", shared=shared)
