"""Public half and status of each signing key; private halves live in keys/."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.extensions import db
from compliance.models.types import UTCDateTime, utcnow


class KeyPurpose(StrEnum):
    """What a key signs. Each key made now has one purpose; keys from before purposes existed
    had both, and keep verifying what they signed then."""

    DOCUMENTS = "documents"  # slips, summaries and compliance reports
    AUDIT = "audit"  # signed heads of the audit log


class SigningKey(db.Model):
    __tablename__ = "signing_keys"

    kid: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    public_x: so.Mapped[str] = so.mapped_column(sa.String(64))
    # Space-separated KeyPurpose values.
    purposes: so.Mapped[str] = so.mapped_column(sa.String(40))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))

    def serves(self, purpose: KeyPurpose) -> bool:
        return purpose.value in self.purposes.split()
