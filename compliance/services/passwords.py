"""Passwords for people who sign in, and the one-time links that let them choose one."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from flask import url_for
from werkzeug.security import check_password_hash, generate_password_hash

from compliance.extensions import db
from compliance.models import User
from compliance.services import audit, links
from compliance.services.accounts import user_by_email
from compliance.services.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 200
SETUP_LINK_HOURS = 72
# Checked when no such user exists, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("only here to spend the same time", method="scrypt")


def check_new_password(password: str, email: str) -> None:
    """Refuse a password that is too short, too long, or just the email address."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password", f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput("password", f"Use at most {MAX_LENGTH} characters.")
    if password.strip().lower() == email.lower():
        raise InvalidInput("password", "The password must not be your email address.")


def set_password(user: User, password: str) -> None:
    """Give a user a new password; it also signs them out everywhere else."""
    check_new_password(password, user.email)
    user.set_password(password)
    audit.record_event("user.password_set", user.email, user.email)
    db.session.commit()


def set_password_for_email(email: str, password: str) -> User:
    user = user_by_email(email)
    set_password(user, password)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this email and password, or None for any mismatch."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def record_sign_in(user: User) -> None:
    """Note a successful sign-in in the audit log."""
    audit.record_event("user.signed_in", user.email, user.email, {"role": user.role})
    db.session.commit()


def password_setup_url(user: User) -> str:
    """Return a link that lets this user set a password once, within SETUP_LINK_HOURS."""
    # The fingerprint changes when a password is set, which makes the link single-use.
    token = links.sign_expiring_link(links.PASSWORD_SETUP, [user.id, user.session_fingerprint])
    return links.absolute(url_for("auth.set_password", token=token))


def user_for_password_setup(token: str) -> User | None:
    """Return the user a set-password link is for, or None if it is used, old or altered."""
    value = links.read_expiring_link(links.PASSWORD_SETUP, token, SETUP_LINK_HOURS * 3600)
    if not isinstance(value, list) or len(value) != 2:
        return None
    user = db.session.get(User, str(value[0]))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_fingerprint, str(value[1])):
        return None
    return user
