"""Passwords for people who sign in, and the one-time links that let them choose one."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from werkzeug.security import check_password_hash, generate_password_hash

from compliance.extensions import db
from compliance.models import User
from compliance.models.types import utcnow
from compliance.services import audit, links
from compliance.services.accounts import user_by_email
from compliance.services.errors import Conflict, InvalidInput

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


def set_password(
    user: User, password: str, *, actor: str | None = None, link_from: str | None = None
) -> None:
    """Give a user a new password; it also signs them out everywhere else.

    `actor` is who set it (the user by default; "operator" from the command line), and
    `link_from` who issued the set-password link used: the log tells them apart.
    """
    check_new_password(password, user.email)
    user.set_password(password)
    user.reset_requested_at = None
    details = {"link_from": link_from} if link_from else {}
    audit.record_event("user.password_set", actor or user.email, user.email, details)
    db.session.commit()


def set_password_for_email(email: str, password: str, *, actor: str | None = None) -> User:
    user = user_by_email(email)
    set_password(user, password, actor=actor)
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


def may_get_setup_link(user: User) -> bool:
    """Return whether a set-password link may be made: never over a password the user chose,
    unless they asked for a reset."""
    return user.active and (user.password_hash is None or user.reset_requested_at is not None)


def request_reset(email: str) -> None:
    """Note that the owner of this email asks for a new password (nothing happens for an
    unknown email, and the caller answers the same either way)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        return
    user.reset_requested_at = utcnow()
    audit.record_event("user.reset_requested", user.email, user.email)
    db.session.commit()


def password_setup_url(user: User, issuer: User | None = None) -> str:
    """Return a link that lets this user set a password once, within SETUP_LINK_HOURS.

    Refused (Conflict) for a user who has a password and did not ask for a reset: otherwise an
    admin could take over any account. The issue is audited with both actor and subject.
    """
    if not may_get_setup_link(user):
        raise Conflict(
            f"{user.email} has a password and has not asked for a reset; they can ask for one "
            "on the sign-in page"
        )
    actor = issuer.email if issuer is not None else "operator"
    # The fingerprint changes when a password is set, which makes the link single-use.
    token = links.sign_expiring_link(
        links.PASSWORD_SETUP, [user.id, user.session_fingerprint, actor]
    )
    audit.record_event("user.password_link_issued", actor, user.email)
    db.session.commit()
    return links.absolute(url_for("auth.set_password", token=token))


@dataclass(frozen=True)
class PasswordSetup:
    user: User
    issued_by: str


def setup_for(token: str) -> PasswordSetup | None:
    """Return whom a set-password link is for and who issued it; None if used, old or altered."""
    value = links.read_expiring_link(links.PASSWORD_SETUP, token, SETUP_LINK_HOURS * 3600)
    if not isinstance(value, list) or len(value) != 3:
        return None
    user = db.session.get(User, str(value[0]))
    if user is None or not may_get_setup_link(user):
        return None
    if not hmac.compare_digest(user.session_fingerprint, str(value[1])):
        return None
    return PasswordSetup(user, str(value[2]))
