"""Signing keys: private halves as 0600 PEM files in keys/, public halves and status in the DB.

The newest key that is not revoked signs. Every key ever registered can still be looked up to
verify, so an officer can be told "signed by a revoked key" rather than just "invalid".

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

from compliance.domain import slip_token
from compliance.extensions import db
from compliance.models import SigningKey
from compliance.models.types import utcnow
from compliance.services.errors import Conflict

APP_SECRET_FILE = "app-secret"  # noqa: S105 (a file name, not a secret)


class KeyringError(Exception):
    """A signing key that is missing, unknown, or cannot be used."""


class NoSigningKey(KeyringError, Conflict):
    """The current key was withdrawn and no newer one exists: nothing may be signed (409)."""


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    public_key: Ed25519PublicKey
    revoked_at: datetime | None
    revoked_reason: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _audit():
    from compliance.services import audit  # audit signs heads with these keys: import late

    return audit


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


def _pem_path(keys_dir: str, kid: str) -> Path:
    return Path(keys_dir) / f"signing-{kid}.pem"


@lru_cache(maxsize=32)
def _load_private_key(path: str, mtime_ns: int) -> Ed25519PrivateKey:
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyringError(f"{path} is not an Ed25519 private key")
    return key


def private_key_for(keys_dir: str, kid: str) -> Ed25519PrivateKey:
    """Return the private key with this kid from keys/."""
    path = _pem_path(keys_dir, kid)
    try:
        key = _load_private_key(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError as exc:
        raise KeyringError(f"the private key {kid} is not in {keys_dir}") from exc
    if slip_token.thumbprint(key.public_key()) != kid:
        raise KeyringError(f"{path} does not hold the key {kid}")
    return key


def _register(public_key: Ed25519PublicKey) -> SigningKey:
    kid = slip_token.thumbprint(public_key)
    row = db.session.get(SigningKey, kid)
    if row is None:
        row = SigningKey(kid=kid, public_x=slip_token.public_jwk(public_key)["x"])
        db.session.add(row)
        db.session.flush()
    return row


def create_signing_key(keys_dir: str) -> str:
    """Generate a key, store it 0600 in keys/, register its public half; return its kid."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    kid = slip_token.thumbprint(key.public_key())
    write_private_file(_pem_path(keys_dir, kid), pem)
    _register(key.public_key())
    forget_verification_keys()
    return kid


def register_key_files(keys_dir: str) -> list[str]:
    """Register every private key file in keys/ the database does not know yet."""
    kids = []
    for path in sorted(Path(keys_dir).glob("signing-*.pem")):
        key = load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, Ed25519PrivateKey):
            kids.append(_register(key.public_key()).kid)
    forget_verification_keys()
    return kids


def current_key_row() -> SigningKey | None:
    """Return the key that signs now: the newest one, unless it was revoked.

    Never an older key instead: a key rotated away must not start signing again, unannounced,
    because its successor was withdrawn.
    """
    newest = _newest_key()
    return newest if newest is not None and newest.revoked_at is None else None


def _newest_key() -> SigningKey | None:
    query = sa.select(SigningKey).order_by(SigningKey.created_at.desc(), SigningKey.kid).limit(1)
    return db.session.scalars(query).first()


def newest_key_is_revoked() -> bool:
    newest = _newest_key()
    return newest is not None and newest.revoked_at is not None


def ensure_signing_key(keys_dir: str) -> str:
    """Return the current kid, creating a first key when there is none."""
    register_key_files(keys_dir)
    row = current_key_row()
    if row is not None:
        return row.kid
    kid = create_signing_key(keys_dir)
    _audit().record_event("key.created", "operator", kid)
    return kid


def current_signer(keys_dir: str) -> tuple[str, Ed25519PrivateKey]:
    """Return (kid, private key) of the key that signs now."""
    row = current_key_row()
    if row is None:
        raise NoSigningKey(
            "The current signing key was withdrawn (or there is none yet) and no new one "
            "exists, so nothing can be signed: an operator must run "
            "`flask --app compliance keys rotate`. Nothing was signed."
        )
    return row.kid, private_key_for(keys_dir, row.kid)


def rotate_signing_key(keys_dir: str) -> str:
    """Make a new current key; older keys keep verifying what they signed."""
    kid = create_signing_key(keys_dir)
    _audit().record_event("key.rotated", "operator", kid)
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
        _audit().record_event("key.revoked", "operator", kid, {"reason": reason})
        db.session.commit()
        forget_verification_keys()
    return row


VERIFICATION_KEYS_TTL = 1.0  # seconds; see the module docstring
_KEPT = "compliance.verification_keys"  # in app.extensions: (monotonic time read, keys by kid)
_ALL_KEYS = sa.select(
    SigningKey.kid, SigningKey.public_x, SigningKey.revoked_at, SigningKey.revoked_reason
)


def _read_verification_keys() -> dict[str, VerificationKey]:
    return {
        row.kid: VerificationKey(
            kid=row.kid,
            public_key=slip_token.public_key_from_jwk(
                {"kty": "OKP", "crv": "Ed25519", "x": row.public_x}
            ),
            revoked_at=row.revoked_at,
            revoked_reason=row.revoked_reason,
        )
        for row in db.session.execute(_ALL_KEYS)
    }


def verification_keys(refresh: bool = False) -> dict[str, VerificationKey]:
    """Return every registered key by kid, revoked ones included, as read at most 1 s ago
    (a shared dict: do not change it); `refresh` reads them anew."""
    now = time.monotonic()
    kept = current_app.extensions.get(_KEPT)
    if refresh or kept is None or now - kept[0] >= VERIFICATION_KEYS_TTL:
        kept = (now, _read_verification_keys())
        current_app.extensions[_KEPT] = kept
    return kept[1]


def forget_verification_keys() -> None:
    """Make the next verification_keys() read the database (this process changed the keys)."""
    current_app.extensions.pop(_KEPT, None)


def published_jwks() -> dict:
    """Return the JWK Set of keys that slips may be verified with (not revoked)."""
    rows = db.session.scalars(
        sa.select(SigningKey).where(SigningKey.revoked_at.is_(None)).order_by(SigningKey.created_at)
    ).all()
    keys = []
    for row in rows:
        public_key = slip_token.public_key_from_jwk(
            {"kty": "OKP", "crv": "Ed25519", "x": row.public_x}
        )
        keys.append(slip_token.public_jwk(public_key))
    return {"keys": keys}
