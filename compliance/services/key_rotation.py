"""Key use cases an operator runs: make the first keys, rotate one, withdraw one (audited).

The key file store and the keys' lookups are `keyring`; this module adds what is recorded in
the audit log, which itself signs its heads with keys from `keyring`.
"""

from __future__ import annotations

from compliance.extensions import db
from compliance.models import KeyPurpose, SigningKey
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.keyring import (
    KeyringError,
    create_signing_key,
    current_key_row,
    forget_verification_keys,
    register_key_files,
)


def ensure_signing_key(keys_dir: str) -> str:
    """Return the current documents kid, first making a key for each purpose that has none
    (or whose newest was withdrawn)."""
    register_key_files(keys_dir)
    for purpose in KeyPurpose:
        row = current_key_row(purpose)
        # A key from before purposes existed keeps signing documents (officers know its kid),
        # but audit heads move to a key of their own.
        if row is None or purpose is KeyPurpose.AUDIT and row.serves(KeyPurpose.DOCUMENTS):
            kid = create_signing_key(keys_dir, purpose)
            audit.record_event("key.created", "operator", kid, {"purpose": purpose.value})
    return current_key_row(KeyPurpose.DOCUMENTS).kid


def rotate_signing_key(keys_dir: str, purpose: KeyPurpose = KeyPurpose.DOCUMENTS) -> str:
    """Make a new current key for a purpose; the one before is retired now and keeps verifying
    what it signed until then."""
    kid = create_signing_key(keys_dir, purpose)
    audit.record_event("key.rotated", "operator", kid, {"purpose": purpose.value})
    db.session.commit()
    return kid


def revoke_signing_key(kid: str, reason: str) -> SigningKey:
    """Withdraw a key: it leaves the JWKS and what it signed verifies as key_revoked."""
    row = db.session.get(SigningKey, kid)
    if row is None:
        raise KeyringError(f"no signing key has the kid {kid}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revoked_reason = reason
        audit.record_event("key.revoked", "operator", kid, {"reason": reason})
        db.session.commit()
        forget_verification_keys()
    return row
