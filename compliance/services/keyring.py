"""Signing keys: private halves as 0600 PEM files in keys/, public halves and status in the DB.

Each key has a purpose: documents (slips, summaries, reports) or audit (audit-log heads); a
verifier of one never accepts a key of the other. Per purpose, the newest key signs, unless it
was revoked: then nothing does until a new one is made. An older key was retired when the next
one was made and vouches only for tokens issued (`iat`) until then, plus `KEY_HANDOVER_SECONDS`
for a signing already under way elsewhere; the JWKS publishes that `until`. Every key ever
registered can still be looked up, so an officer can be told "signed by a revoked key" rather
than just "invalid".

Each process keeps the verification keys it read for `VERIFICATION_KEYS_TTL` seconds (1 s), so a
verify costs no key query: a key revoked by another process or host is treated as revoked
within that second; one revoked or added in this process at once. A token naming a kid that is
not in the kept set makes the caller read them anew (`verification_keys(refresh=True)`), so a
key rotated in on another host verifies its slips immediately.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from flask import current_app

from compliance.domain.slips import token as slip_token
from compliance.extensions import db
from compliance.models import KeyPurpose, SigningKey
from compliance.services.errors import Conflict

APP_SECRET_FILE = "app-secret"  # noqa: S105 (a file name, not a secret)
KEY_HANDOVER_SECONDS = 60
TOKEN_TYPES = {
    KeyPurpose.DOCUMENTS: slip_token.DOCUMENT_TYPES,
    KeyPurpose.AUDIT: slip_token.AUDIT_TYPES,
}


class KeyringError(Exception):
    """A signing key that is missing, unknown, or cannot be used."""


class NoSigningKey(KeyringError, Conflict):
    """The current key was withdrawn and no newer one exists: nothing may be signed (409)."""


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    trusted: slip_token.TrustedKey
    revoked_at: datetime | None
    revoked_reason: str | None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.trusted.public_key

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def write_private_file(path: Path, content: bytes) -> None:
    """Create a file readable only by its owner; never overwrite one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # keys/ comes from git as 0755; secrets go in, so only the owner may list it. A mounted,
    # read-only secrets folder cannot be changed, and need not be.
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def load_or_create_app_secret(keys_dir: str) -> str:
    """Return the app secret, creating it on first run."""
    path = Path(keys_dir) / APP_SECRET_FILE
    if not path.exists():
        # Another worker may create it first; then read theirs.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, secrets.token_hex(32).encode("ascii"))
    return path.read_text(encoding="ascii").strip()


_KEY_FILE_PREFIXES = {"signing": KeyPurpose.DOCUMENTS, "audit": KeyPurpose.AUDIT}


def _pem_path(keys_dir: str, kid: str, purposes: str) -> Path:
    prefix = "audit" if purposes == KeyPurpose.AUDIT else "signing"
    return Path(keys_dir) / f"{prefix}-{kid}.pem"


@lru_cache(maxsize=32)
def _load_private_key(path: str, mtime_ns: int) -> Ed25519PrivateKey:
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyringError(f"{path} is not an Ed25519 private key")
    return key


def private_key_for(keys_dir: str, row: SigningKey) -> Ed25519PrivateKey:
    """Return the private half of a registered key from keys/."""
    kid = row.kid
    path = _pem_path(keys_dir, kid, row.purposes)
    try:
        key = _load_private_key(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError as exc:
        raise KeyringError(f"the private key {kid} is not in {keys_dir}") from exc
    if slip_token.thumbprint(key.public_key()) != kid:
        raise KeyringError(f"{path} does not hold the key {kid}")
    return key


def _register(public_key: Ed25519PublicKey, purpose: KeyPurpose) -> SigningKey:
    kid = slip_token.thumbprint(public_key)
    row = db.session.get(SigningKey, kid)
    if row is None:
        row = SigningKey(
            kid=kid, public_x=slip_token.public_jwk(public_key)["x"], purposes=purpose.value
        )
        db.session.add(row)
        db.session.flush()
    return row


def create_signing_key(keys_dir: str, purpose: KeyPurpose = KeyPurpose.DOCUMENTS) -> str:
    """Generate a key for one purpose, store it 0600 in keys/, register its public half; return
    its kid. It becomes the current key of that purpose."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    kid = slip_token.thumbprint(key.public_key())
    write_private_file(_pem_path(keys_dir, kid, purpose.value), pem)
    _register(key.public_key(), purpose)
    forget_verification_keys()
    return kid


def register_key_files(keys_dir: str) -> list[str]:
    """Register every private key file in keys/ the database does not know yet, with the purpose
    its file name gives (signing-…: documents, audit-…: audit)."""
    kids = []
    for prefix, purpose in _KEY_FILE_PREFIXES.items():
        for path in sorted(Path(keys_dir).glob(f"{prefix}-*.pem")):
            key = load_pem_private_key(path.read_bytes(), password=None)
            if isinstance(key, Ed25519PrivateKey):
                kids.append(_register(key.public_key(), purpose).kid)
    forget_verification_keys()
    return kids


def current_key_row(purpose: KeyPurpose = KeyPurpose.DOCUMENTS) -> SigningKey | None:
    """Return the key that signs for a purpose now: its newest one, unless it was revoked.

    Never an older key instead: a key rotated away must not start signing again, unannounced,
    because its successor was withdrawn.
    """
    newest = _newest_key(purpose)
    return newest if newest is not None and newest.revoked_at is None else None


def _keys_of(purpose: KeyPurpose) -> list[SigningKey]:
    """Every key that serves a purpose, oldest first."""
    rows = db.session.scalars(sa.select(SigningKey).order_by(SigningKey.created_at, SigningKey.kid))
    return [row for row in rows if row.serves(purpose)]


def _newest_key(purpose: KeyPurpose) -> SigningKey | None:
    keys = _keys_of(purpose)
    return keys[-1] if keys else None


def newest_key_is_revoked(purpose: KeyPurpose = KeyPurpose.DOCUMENTS) -> bool:
    newest = _newest_key(purpose)
    return newest is not None and newest.revoked_at is not None


def current_signer(
    keys_dir: str, purpose: KeyPurpose = KeyPurpose.DOCUMENTS
) -> tuple[str, Ed25519PrivateKey]:
    """Return (kid, private key) of the key that signs for a purpose now."""
    row = current_key_row(purpose)
    if row is None:
        raise NoSigningKey(
            f"The current {purpose.value} signing key was withdrawn (or there is none yet) and "
            "no new one exists, so nothing can be signed: an operator must run "
            f"`flask --app compliance keys rotate --purpose {purpose.value}`. Nothing was signed."
        )
    return row.kid, private_key_for(keys_dir, row)


VERIFICATION_KEYS_TTL = 1.0  # seconds; see the module docstring
# In app.extensions: (monotonic time read, {purpose: keys by kid}).
_KEPT = "compliance.verification_keys"
_ALL_KEYS = sa.select(
    SigningKey.kid,
    SigningKey.public_x,
    SigningKey.purposes,
    SigningKey.created_at,
    SigningKey.revoked_at,
    SigningKey.revoked_reason,
).order_by(SigningKey.created_at, SigningKey.kid)


def _public_key(public_x: str) -> Ed25519PublicKey:
    return slip_token.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": public_x})


def _keys_by_purpose(rows: list) -> dict[KeyPurpose, dict[str, VerificationKey]]:
    """Each purpose's keys, each vouching until its successor was made (plus the handover)."""
    by_purpose = {}
    for purpose in KeyPurpose:
        serving = [row for row in rows if purpose.value in row.purposes.split()]
        keys = {}
        for row, successor in zip(serving, [*serving[1:], None], strict=True):
            until = None
            if successor is not None:
                until = int(successor.created_at.timestamp()) + KEY_HANDOVER_SECONDS
            trusted = slip_token.TrustedKey(_public_key(row.public_x), TOKEN_TYPES[purpose], until)
            keys[row.kid] = VerificationKey(row.kid, trusted, row.revoked_at, row.revoked_reason)
        by_purpose[purpose] = keys
    return by_purpose


def verification_keys(
    refresh: bool = False, purpose: KeyPurpose = KeyPurpose.DOCUMENTS
) -> dict[str, VerificationKey]:
    """Return every registered key of a purpose by kid, revoked ones included, as read at most
    1 s ago (a shared dict: do not change it); `refresh` reads them anew."""
    now = time.monotonic()
    kept = current_app.extensions.get(_KEPT)
    if refresh or kept is None or now - kept[0] >= VERIFICATION_KEYS_TTL:
        kept = (now, _keys_by_purpose(db.session.execute(_ALL_KEYS).all()))
        current_app.extensions[_KEPT] = kept
    return kept[1][purpose]


def forget_verification_keys() -> None:
    """Make the next verification_keys() read the database (this process changed the keys)."""
    current_app.extensions.pop(_KEPT, None)


def published_jwks(purpose: KeyPurpose = KeyPurpose.DOCUMENTS) -> dict:
    """Return the JWK Set of a purpose's keys that are not revoked, each with the token types
    it signs and, once retired, `until`."""
    keys = verification_keys(refresh=True, purpose=purpose).values()
    return {
        "keys": [
            slip_token.public_jwk(key.public_key, key.trusted) for key in keys if not key.revoked
        ]
    }
