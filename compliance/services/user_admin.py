"""What admins and operators do with accounts: invite, deactivate, list and revoke tokens."""

from __future__ import annotations

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import ApiToken, User
from compliance.models.types import utcnow
from compliance.services import accounts, audit, passwords
from compliance.services.errors import InvalidInput, NotFound


def all_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.role, User.email)))


def invite_user(
    email: str, display_name: str, role: str, acting: User | None = None
) -> tuple[User, str]:
    """Add a user without a password; return them and their one-time set-password link."""
    actor = acting.email if acting is not None else "operator"
    user = accounts.create_user(email, display_name, role, actor=actor)
    return user, passwords.password_setup_url(user, acting)


def user_by_id(user_id: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("no user with this id")
    return user


def set_active(user: User, active: bool, *, acting: User | None = None) -> User:
    """Deactivate (or reactivate) a user: a deactivated user can neither sign in nor use tokens."""
    if acting is not None and acting.id == user.id and not active:
        raise InvalidInput("user", "You cannot deactivate your own account.")
    if user.active != active:
        user.active = active
        event = "user.reactivated" if active else "user.deactivated"
        audit.record_event(event, acting.email if acting else "operator", user.email)
    db.session.commit()
    return user


def tokens_of(user: User) -> list[ApiToken]:
    query = sa.select(ApiToken).where(ApiToken.user_id == user.id)
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc())))


def revoke_token(token_id: str) -> ApiToken:
    """Stop any user's token from working (operators, from the command line)."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no API token has the id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record_event("token.revoked", "operator", row.user.email, {"prefix": row.prefix})
    db.session.commit()
    return row
