"""Sign-ins kept on the server: signing out ends one here, so a copied cookie stops working."""

from __future__ import annotations

from compliance.extensions import db
from compliance.models import LoginSession, User
from compliance.models.types import utcnow
from compliance.services import audit


def start(user: User) -> str:
    """Record a new sign-in of this user and return its id (kept in the session cookie)."""
    login = LoginSession(user_id=user.id)
    db.session.add(login)
    audit.record_event("user.signed_in", user.email, user.email, {"role": user.role})
    db.session.commit()
    return login.id


def is_live(login_id: str | None, user: User) -> bool:
    """Return whether this sign-in of this user has not been ended."""
    if not login_id:
        return False
    login = db.session.get(LoginSession, login_id)
    return login is not None and login.user_id == user.id and login.ended_at is None


def end(login_id: str | None) -> None:
    """End a sign-in: the cookie that carries its id no longer signs anyone in."""
    login = db.session.get(LoginSession, login_id) if login_id else None
    if login is None or login.ended_at is not None:
        return
    login.ended_at = utcnow()
    user = db.session.get(User, login.user_id)
    audit.record_event("user.signed_out", user.email, user.email)
    db.session.commit()
