"""Creating people who sign in, and the API tokens facilitators' tools use."""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import ApiToken, User
from compliance.models.accounts import Role
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.errors import Conflict, InvalidInput, NotFound
from compliance.services.printed import clean_printed

TOKEN_PREFIX = "cpt_"  # noqa: S105 (a marker that makes leaked tokens easy to scan for)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,63}$")


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email)) and len(email) <= 254


def create_user(email: str, display_name: str, role: str, actor: str = "operator") -> User:
    """Add a facilitator, officer or admin."""
    email = email.strip().lower()
    if not valid_email(email):
        raise InvalidInput("email", f"{email!r} is not an email address")
    display_name = clean_printed("name", display_name, 40)
    if role not in {r.value for r in Role}:
        raise InvalidInput("role", f"role must be one of: {', '.join(r.value for r in Role)}")
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise Conflict(f"a user with the email {email} already exists")
    user = User(email=email, display_name=display_name, role=role)
    db.session.add(user)
    db.session.flush()
    audit.record_event("user.created", actor, email, {"role": role})
    db.session.commit()
    return user


def user_by_email(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user has the email {email}")
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(email: str, actor: str = "operator") -> str:
    """Issue an API token for a user; only its digest is stored, so it is shown once."""
    user = user_by_email(email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_token_digest(token), prefix=token[:12]))
    audit.record_event("token.created", actor, user.email, {"prefix": token[:12]})
    db.session.commit()
    return token


def user_for_api_token(token: str) -> User | None:
    """Return the active user a presented token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    return row.user


def revoke_api_token(token_id: str, owner: User) -> None:
    """Stop a token from working."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != owner.id:
        raise NotFound("no such token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record_event("token.revoked", owner.email, owner.email, {"prefix": row.prefix})
    db.session.commit()
