"""A facilitator's API tokens: create one (shown once), see when each was used, revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from compliance.services import accounts, user_admin
from compliance.web.facilitator.blueprint import bp


@bp.get("/tokens")
def tokens():
    return render_template("facilitator/tokens.html", tokens=user_admin.tokens_of(current_user))


@bp.post("/tokens")
def create_token():
    token = accounts.create_api_token(current_user.email)
    return render_template(
        "facilitator/tokens.html", tokens=user_admin.tokens_of(current_user), new_token=token
    )


@bp.post("/tokens/<token_id>/revoke")
def revoke_token(token_id: str):
    accounts.revoke_api_token(token_id, current_user)
    flash("Token revoked: tools using it stop working now.", "success")
    return redirect(url_for("facilitator.tokens"))
