"""The PDF files handed out: stored the first time, the same bytes every time after.

Whoever gets a slip or summary file (a download, an email) gets the stored file of that
document on that paper, so every download is byte-identical even when rendering changes (a
reportlab, zlib or font upgrade, a fresh PDF signature). Verifying an upload looks its SHA-256
up here first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from compliance.extensions import db
from compliance.models import IssuedFile
from compliance.models.types import new_id, utcnow


def handed_out(subject: str, paper: str, render: Callable[[], bytes]) -> bytes:
    """Return the file of `subject` (a token's jti) on `paper`: the stored one, or `render()`
    stored now. The caller commits."""
    stored = _stored(subject, paper)
    if stored is not None:
        return stored
    pdf = render()
    row = {
        "id": new_id(),
        "subject": subject,
        "paper": paper,
        "sha256": sha256_of(pdf),
        "pdf": pdf,
        "created_at": utcnow(),
    }
    # Another request may store this file first: then everyone gets theirs. (No savepoint:
    # releasing one costs SQLite a sync per file.)
    if db.session.execute(_insert_unless_there().values(row)).rowcount == 1:
        return pdf
    return _stored(subject, paper)


def _insert_unless_there():
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(IssuedFile).on_conflict_do_nothing()


def was_handed_out(subject: str, pdf: bytes) -> bool:
    """Return whether these exact bytes were handed out as a file of `subject`."""
    found = db.session.execute(
        sa.select(IssuedFile.subject).where(IssuedFile.sha256 == sha256_of(pdf))
    ).scalar_one_or_none()
    return found == subject


def stored_file(subject: str, paper: str) -> bytes | None:
    """Return the file handed out for `subject` on `paper`, if there is one."""
    return _stored(subject, paper)


def _stored(subject: str, paper: str) -> bytes | None:
    return db.session.execute(
        sa.select(IssuedFile.pdf).where(IssuedFile.subject == subject, IssuedFile.paper == paper)
    ).scalar_one_or_none()


def sha256_of(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
