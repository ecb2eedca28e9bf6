"""Issued records: look one up, withdraw it with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from compliance.services import links, meetings, revocation
from compliance.services.errors import InvalidInput
from compliance.web.facilitator.blueprint import bp
from compliance.web.facilitator.forms import ReasonForm


def _render_record(record, form, status=200):
    return (
        render_template(
            "facilitator/record.html",
            record=record,
            session=record_session(record),
            form=form,
            slip_url=links.slip_url(record.id),
        ),
        status,
    )


def record_session(record):
    return meetings.session_for(current_user, record.session_id)


@bp.get("/records/<record_id>")
def record_page(record_id: str):
    record = revocation.record_for(current_user, record_id)
    return _render_record(record, ReasonForm(formdata=None))


@bp.post("/records/<record_id>/revoke")
def revoke(record_id: str):
    record = revocation.record_for(current_user, record_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            revocation.revoke_record(current_user, record_id, form.reason.data)
        except InvalidInput as error:
            form.reason.errors = [error.message]
        else:
            flash(f"Slip for {record.name} revoked. Officers now see it as withdrawn.", "success")
            return redirect(
                url_for("facilitator.session_page", session_id=record.session_id, _anchor="records")
            )
    return _render_record(record, form, 400)
