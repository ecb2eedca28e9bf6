"""People who sign in: facilitators, officers, admins; and their API tokens."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    OFFICER = "officer"
    ADMIN = "admin"


def new_facilitator_id() -> str:
    """Return the stable id printed next to a facilitator's display name."""
    return "F-" + secrets.token_hex(4).upper()


class User(db.Model):
    __tablename__ = "users"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(40))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    public_id: so.Mapped[str] = so.mapped_column(
        sa.String(16), unique=True, default=new_facilitator_id
    )
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Set when the user asks for a new password: only then may an admin issue a link.
    reset_requested_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # Officers: the weekly email listing cases that fell behind (they can turn it off).
    case_digest: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    tokens: so.Mapped[list[ApiToken]] = so.relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password, never the password itself."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    # Flask-Login's user interface.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def session_fingerprint(self) -> str:
        """Return a value that changes with the password, so a reset ends other sign-ins."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def get_id(self) -> str:
        return f"{self.id}.{self.session_fingerprint}"


class LoginSession(db.Model):
    """One sign-in on one device; signing out ends it here, so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    user_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    ended_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    user_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    # Only a SHA-256 of the token is kept: a stolen database yields no usable tokens.
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    prefix: so.Mapped[str] = so.mapped_column(sa.String(12))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship(back_populates="tokens")
