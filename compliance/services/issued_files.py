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
from sqlalchemy.exc import IntegrityError

from compliance.extensions import db
from compliance.models import IssuedFile


def handed_out(subject: str, paper: str, render: Callable[[], bytes]) -> bytes:
    """Return the file of `subject` (a token's jti) on `paper`: the stored one, or `render()`
    stored now. The caller commits."""
    stored = _stored(subject, paper)
    if stored is not None:
        return stored
    pdf = render()
    try:
        with db.session.begin_nested():
            db.session.add(
                IssuedFile(subject=subject, paper=paper, sha256=sha256_of(pdf), pdf=pdf)
            )
    except IntegrityError:
        # Another request stored this file first: everyone gets that one.
        stored = _stored(subject, paper)
        if stored is None:
            raise
        return stored
    return pdf


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
