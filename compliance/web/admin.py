"""Admins' pages: see every account, invite people, deactivate and reactivate them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from compliance.models.accounts import Role
from compliance.services import outbox, passwords, user_admin
from compliance.services.errors import Conflict, InvalidInput
from compliance.services.mail_transport import mail_enabled
from compliance.web.auth import require_role
from compliance.web.forms import InviteForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_role(Role.ADMIN))


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=user_admin.all_users(), form=InviteForm())


@bp.post("/users")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, link = user_admin.invite_user(
                form.email.data, form.display_name.data, form.role.data, current_user
            )
        except Conflict as error:
            form.email.errors.append(error.message)
        except InvalidInput as error:
            field = {"name": "display_name"}.get(error.field, error.field)
            getattr(form, field, form.email).errors.append(error.message)
        else:
            return render_template("admin/invited.html", user=user, link=link)
    return render_template("admin/users.html", users=user_admin.all_users(), form=form), 400


@bp.post("/users/<user_id>/link")
def new_link(user_id: str):
    """Make a fresh set-password link for someone who has none yet or asked for a reset."""
    user = user_admin.user_by_id(user_id)
    try:
        link = passwords.password_setup_url(user, current_user)
    except Conflict as error:
        flash(f"No link made: {error.message}.", "error")
        return redirect(url_for("admin.users")), 303
    return render_template("admin/invited.html", user=user, link=link)


@bp.post("/users/<user_id>/deactivate")
def deactivate(user_id: str):
    user = user_admin.set_active(user_admin.user_by_id(user_id), False, acting=current_user)
    flash(f"{user.email} is deactivated: they can no longer sign in or use API tokens.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<user_id>/reactivate")
def reactivate(user_id: str):
    user = user_admin.set_active(user_admin.user_by_id(user_id), True, acting=current_user)
    flash(f"{user.email} can sign in again.", "info")
    return redirect(url_for("admin.users"))


@bp.get("/outbox")
def outbox_page():
    """Mail waiting, sent and failed: addresses and states only, never what a message says."""
    return render_template(
        "admin/outbox.html",
        counts=outbox.status_counts(),
        messages=outbox.recent(),
        mail_on=mail_enabled(),
    )


@bp.post("/outbox/<message_id>/retry")
def retry_mail(message_id: str):
    try:
        outbox.retry(message_id, current_user.email)
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash("Queued again: the next `mail send` (or the worker) tries it now.", "info")
    return redirect(url_for("admin.outbox_page"), 303)
