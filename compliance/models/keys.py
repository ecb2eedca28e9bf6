"""Public half and status of each signing key; private halves live in keys/."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, utcnow


class SigningKey(db.Model):
    __tablename__ = "signing_keys"

    kid: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    public_x: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
