"""Signing in and out with a password, and choosing one from a one-time link."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError

from compliance.extensions import db, limiter, login_manager
from compliance.models import User
from compliance.models.accounts import Role
from compliance.services import login_sessions, passwords
from compliance.services.errors import InvalidInput
from compliance.web.forms import ForgotPasswordForm, SetPasswordForm, SignInForm

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to see that page."
login_manager.login_message_category = "info"

LOGIN_SESSION = "login_session"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Return the signed-in user, unless deactivated or their password changed since."""
    if g.get("database_unreachable"):
        return None  # drawing the 503 page: show it signed out, without asking the database
    user_id, _, fingerprint = session_id.partition(".")
    # If the database is down this raises, and the visitor gets a 503 (errors.py), not the
    # sign-in page as if they were signed out.
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_fingerprint, fingerprint):
        return None
    if not login_sessions.is_live(session.get(LOGIN_SESSION), user):
        return None  # signed out on the server: a copy of the cookie signs no one in
    return user


def require_role(*roles: Role):
    """Return a before_request hook: sign in first, then only these roles may pass."""

    def check():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return check


def home_for(user: User) -> str:
    if user.role == Role.ADMIN:
        return url_for("admin.users")
    if user.role == Role.FACILITATOR:
        return url_for("facilitator.dashboard")
    return url_for("officer.dashboard")


def _safe_next(target: str | None) -> str | None:
    """Return a same-site path to go back to after signing in, or None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _sign_in_failed(response) -> bool:
    return g.get("sign_in_failed", False)


def _account_asked_about() -> str:
    """Rate-limit key of a sign-in: the account tried, whoever tries it."""
    return "account:" + request.form.get("email", "").strip().lower()[:254]


# Passwords can be guessed, so a client past its budget is refused before the password is
# checked; failures count per client and per account (from many addresses at once).
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute;60 per hour", methods=["POST"], deduct_when=_sign_in_failed)
@limiter.limit(
    "30 per hour", methods=["POST"], key_func=_account_asked_about, deduct_when=_sign_in_failed
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        user = passwords.authenticate(form.email.data, form.password.data)
        if user is not None:
            # A fresh session on sign-in: nothing planted before it (fixation) carries over.
            session.clear()
            login_user(user)
            session[LOGIN_SESSION] = login_sessions.start(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        g.sign_in_failed = True
        form.password.errors.append("This email and password do not match an active account.")
    return render_template("auth/sign_in.html", form=form)


@bp.app_errorhandler(CSRFError)
def form_expired(error: CSRFError):
    message = "This form has expired or came from another site. Reload the page and try again."
    return render_template("error.html", status=400, message=message), 400


@bp.errorhandler(429)
def too_many_attempts(error):
    message = "Too many sign-in attempts from here. Wait a minute, then try again."
    return render_template("error.html", status=429, message=message), 429


@bp.post("/sign-out")
def sign_out():
    # CSRFProtect has checked the token before this runs: a forged sign-out is refused.
    login_sessions.end(session.get(LOGIN_SESSION))
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"])
def forgot_password():
    """Ask for a new password; the answer is the same whether or not the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data)
        return render_template("auth/reset_requested.html"), 200
    status = 400 if form.is_submitted() else 200
    return render_template("auth/forgot_password.html", form=form), status


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    setup = passwords.setup_for(token)
    if setup is None:
        message = "This link has been used already, has expired, or is not complete."
        return render_template("auth/link_invalid.html", message=message), 404
    user = setup.user
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.set_password(user, form.password.data, link_from=setup.issued_by)
        except InvalidInput as error:
            form.password.errors.append(error.message)
        else:
            logout_user()
            session.clear()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.sign_in", email=user.email))
    return render_template("auth/set_password.html", form=form, user=user)
