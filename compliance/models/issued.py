"""Every PDF file handed out, kept as handed out: later downloads are the same bytes, and an
uploaded copy is recognised by its SHA-256 whatever reportlab or zlib do in later versions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class IssuedFile(db.Model):
    """One file version of a slip or summary on one paper size."""

    __tablename__ = "issued_files"
    __table_args__ = (sa.UniqueConstraint("subject", "paper"),)

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    # The token's jti: a slip's code or a summary's id.
    subject: so.Mapped[str] = so.mapped_column(sa.String(32))
    paper: so.Mapped[str] = so.mapped_column(sa.String(8))
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    pdf: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
