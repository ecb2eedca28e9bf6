"""Compact JWS for slips: Ed25519 only, algorithm and key type pinned (RFC 8725).

The codec knows nothing about where keys live; callers pass the public keys they trust,
revoked ones included, and decide what a revoked key means.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from compliance.domain.slips.slip import Slip

ALGORITHM = "EdDSA"
SLIP_TYP = "attendance-slip+jwt"
SUMMARY_TYP = "attendance-summary+jwt"
AUDIT_HEAD_TYP = "audit-head+jwt"
DOCUMENT_TYPES = frozenset({SLIP_TYP, SUMMARY_TYP})
AUDIT_TYPES = frozenset({AUDIT_HEAD_TYP})
MAX_TOKEN_LENGTH = 4096
ALLOWED_HEADER_FIELDS = frozenset({"alg", "typ", "kid"})
ED25519_SIGNATURE_BYTES = 64

_jws = jwt.PyJWS(algorithms=[ALGORITHM])


class TokenProblem(Enum):
    """Why a token was not accepted; all of them mean `invalid` to an officer."""

    MALFORMED = "the token is not a well-formed compact JWS"
    WRONG_ALGORITHM = "the token is not signed with EdDSA"
    WRONG_TYPE = "the token is not a document of the expected type"
    UNKNOWN_KEY = "the token was not signed with a key of this service"
    BAD_SIGNATURE = "the signature does not match the content"
    WRONG_ISSUER = "the token was issued by another service"
    WRONG_PURPOSE = "the token was signed with a key that is not for this kind of document"
    AFTER_KEY_RETIRED = "the token claims to be signed after its key was retired"


class TokenError(Exception):
    """A token that cannot be trusted, with the reason."""

    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class VerifiedToken:
    """A token whose signature checked out under `kid`."""

    kid: str
    typ: str
    claims: dict


@dataclass(frozen=True)
class TrustedKey:
    """A public key and what it may vouch for: tokens of `token_types`, issued (`iat`) no later
    than `until` (Unix seconds) when a newer key has taken over its purpose since."""

    public_key: Ed25519PublicKey
    token_types: frozenset[str]
    until: int | None = None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    """Decode canonical base64url only: spare bits set in the last character are refused, so
    no two spellings of one token exist."""
    if not _B64URL.fullmatch(text):
        raise TokenError(TokenProblem.MALFORMED)
    return _decode_base64url_part(text)


def _decode_base64url_part(text: str) -> bytes:
    """_b64url_decode of a part whose alphabet the compact-JWS pattern has already checked."""
    spare = len(text) % 4
    if spare == 1 or spare and text[-1] not in _CANONICAL_LAST_CHARACTER[spare]:
        raise TokenError(TokenProblem.MALFORMED)
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64URL = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# Unpadded, a length of 2 (or 3) mod 4 leaves 4 (or 2) unused low bits in the last character,
# which a canonical encoder sets to zero.
_CANONICAL_LAST_CHARACTER = {
    2: frozenset(_B64URL_ALPHABET[::16]),
    3: frozenset(_B64URL_ALPHABET[::4]),
}
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", re.ASCII)


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def thumbprint(public_key: Ed25519PublicKey) -> str:
    """Return the RFC 7638 JWK thumbprint of an Ed25519 public key."""
    x = _b64url(raw_public_bytes(public_key))
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


def public_jwk(public_key: Ed25519PublicKey, trusted: TrustedKey | None = None) -> dict:
    """Return the public JWK a verifier needs, with its thumbprint as kid; with `trusted`, also
    the token types it signs (`token_types`) and, once retired, the last `iat` it vouches for
    (`until`, Unix seconds)."""
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64url(raw_public_bytes(public_key)),
        "kid": thumbprint(public_key),
        "alg": ALGORITHM,
        "use": "sig",
    }
    if trusted is not None:
        jwk["token_types"] = sorted(trusted.token_types)
        if trusted.until is not None:
            jwk["until"] = trusted.until
    return jwk


def trusted_key_from_jwk(jwk: Mapping, default_types: frozenset[str]) -> TrustedKey:
    """Return what a published JWK vouches for; a JWK without `token_types` (published before
    keys had purposes) vouches for `default_types`. Anything malformed is refused."""
    types = jwk.get("token_types")
    until = jwk.get("until")
    if types is None:
        token_types = default_types
    elif isinstance(types, list) and all(isinstance(t, str) for t in types):
        token_types = frozenset(types)
    else:
        raise ValueError("token_types must be a list of token types")
    if until is not None and type(until) is not int:
        raise ValueError("until must be a whole number of seconds")
    return TrustedKey(public_key_from_jwk(jwk), token_types, until)


def public_key_from_jwk(jwk: Mapping) -> Ed25519PublicKey:
    """Return the Ed25519 key a JWK describes; anything else is refused."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("only Ed25519 (OKP) keys are accepted")
    raw = _b64url_decode(str(jwk.get("x", "")))
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(claims: dict, private_key: Ed25519PrivateKey, kid: str, typ: str) -> str:
    """Return a compact JWS over the claims, serialised as compact UTF-8 JSON."""
    headers = {"kid": kid, "typ": typ}
    return _jws.encode(payload_bytes(claims), private_key, algorithm=ALGORITHM, headers=headers)


def payload_bytes(claims: dict) -> bytes:
    """Return the claims as `sign` serialises them: compact, sorted, UTF-8."""
    return json.dumps(claims, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def claim_string_bytes(value: str) -> int:
    """Return how many bytes a string takes as a claim's value in the payload."""
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


KID_CHARS = 43  # an RFC 7638 SHA-256 thumbprint in base64url
_SIGNATURE_CHARS = 86  # 64 bytes of Ed25519 signature in base64url


def base64url_length(size: int) -> int:
    """Return the length of `size` bytes in unpadded base64url."""
    return (4 * size + 2) // 3


def token_length_without_payload(typ: str) -> int:
    """Return the characters of a token that are not its payload: the header (with a
    thumbprint kid), two dots and the signature."""
    header = json.dumps(
        {"alg": ALGORITHM, "kid": "k" * KID_CHARS, "typ": typ}, separators=(",", ":")
    )
    return base64url_length(len(header)) + 2 + _SIGNATURE_CHARS


class Header(NamedTuple):
    """The protected header of a token: the algorithm is always EdDSA by the time it exists."""

    kid: str
    typ: str


def read_header(token: str) -> Header:
    """Return the unverified header after checking the token's shape; raise TokenError."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError(TokenProblem.MALFORMED)
    if not _COMPACT_JWS.fullmatch(token):
        raise TokenError(TokenProblem.MALFORMED)
    return _parsed_header(token.split(".", 1)[0])


@lru_cache(maxsize=64)
def _parsed_header(segment: str) -> Header:
    """Parse and check one header segment. Every token a key signs shares its header, so the
    few in use are kept; failures raise and are never kept."""
    try:
        header = json.loads(_b64url_decode(segment))
    except (ValueError, RecursionError) as exc:  # "[[[[…" a few thousand deep is 4 KB
        raise TokenError(TokenProblem.MALFORMED) from exc
    if not isinstance(header, dict) or not set(header) <= ALLOWED_HEADER_FIELDS:
        raise TokenError(TokenProblem.MALFORMED)
    if header.get("alg") != ALGORITHM:
        raise TokenError(TokenProblem.WRONG_ALGORITHM)
    if not isinstance(header.get("kid"), str) or not isinstance(header.get("typ"), str):
        raise TokenError(TokenProblem.MALFORMED)
    return Header(kid=header["kid"], typ=header["typ"])


def verify(
    token: str,
    trusted_keys: Mapping[str, TrustedKey],
    issuer: str | None,
    expected_types: frozenset[str] = DOCUMENT_TYPES,
) -> VerifiedToken:
    """Return the verified claims of a token, or raise TokenError saying why not.

    `issuer` None accepts any issuer: for offline checks, where the key set already says who.
    """
    header = read_header(token)
    if header.typ not in expected_types:
        raise TokenError(TokenProblem.WRONG_TYPE)
    trusted = trusted_keys.get(header.kid)
    if not isinstance(trusted, TrustedKey) or not isinstance(trusted.public_key, Ed25519PublicKey):
        raise TokenError(TokenProblem.UNKNOWN_KEY)
    if header.typ not in trusted.token_types:
        raise TokenError(TokenProblem.WRONG_PURPOSE)
    claims = _verified_claims(token, trusted.public_key)
    if not isinstance(claims.get("iss"), str) or issuer is not None and claims["iss"] != issuer:
        raise TokenError(TokenProblem.WRONG_ISSUER)
    if type(claims.get("iat")) is not int:
        raise TokenError(TokenProblem.MALFORMED)
    if trusted.until is not None and claims["iat"] > trusted.until:
        raise TokenError(TokenProblem.AFTER_KEY_RETIRED)
    return VerifiedToken(kid=header.kid, typ=header.typ, claims=claims)


def _verified_claims(token: str, key: Ed25519PublicKey) -> dict:
    """Check the Ed25519 signature of a well-formed token and return its claims object."""
    signing_input, _, encoded_signature = token.rpartition(".")
    signature = _decode_base64url_part(encoded_signature)  # read_header checked the alphabet
    if len(signature) != ED25519_SIGNATURE_BYTES:
        raise TokenError(TokenProblem.BAD_SIGNATURE)
    try:
        # The algorithm is pinned and the key is Ed25519, so this is the whole of EdDSA
        # verification. libsodium does it in about half the time of OpenSSL through
        # `cryptography` (and a quarter of a PyJWT decode), on the hottest path of the service.
        _sodium_key(raw_public_bytes(key)).verify(signing_input.encode("ascii"), signature)
    except BadSignatureError as exc:
        raise TokenError(TokenProblem.BAD_SIGNATURE) from exc
    try:
        payload = _decode_base64url_part(signing_input.split(".", 1)[1])
        claims = json.loads(payload.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise TokenError(TokenProblem.MALFORMED) from exc
    if not isinstance(claims, dict):
        raise TokenError(TokenProblem.MALFORMED)
    return claims


@lru_cache(maxsize=64)
def _sodium_key(raw_public_key: bytes) -> VerifyKey:
    """libsodium's form of a public key; the few keys in use are kept, as the same ones verify
    every slip."""
    return VerifyKey(raw_public_key)


def read_claims_unverified(token: str) -> dict:
    """Return a token's claims without checking anything: only for tokens already verified."""
    try:
        claims = json.loads(_b64url_decode(token.split(".")[1]))
    except (IndexError, ValueError, RecursionError) as exc:
        raise TokenError(TokenProblem.MALFORMED) from exc
    return claims if isinstance(claims, dict) else {}


def slip_claims(slip: Slip, issuer: str) -> dict:
    """Return the signed claims for a slip (short names keep the QR small)."""
    return {
        "iss": issuer,
        "jti": slip.code,
        "iat": int(slip.issued_at.timestamp()),
        "name": slip.name,
        "mtg": slip.meeting,
        "prog": slip.program,
        "start": int(slip.starts_at.timestamp()),
        "end": int(slip.ends_at.timestamp()),
        "tz": slip.timezone,
        "min": slip.present_minutes,
        "fac": slip.facilitator,
        "fid": slip.facilitator_id,
        "lang": slip.language,
    }


_SLIP_CLAIM_TYPES = {
    "jti": str,
    "iat": int,
    "name": str,
    "mtg": str,
    "prog": str,
    "start": int,
    "end": int,
    "tz": str,
    "min": int,
    "fac": str,
    "fid": str,
    "lang": str,
}


def slip_from_claims(claims: Mapping) -> Slip:
    """Return the slip that verified claims describe; raise TokenError if they are incomplete."""
    # Exact types, as JSON gives them: a bool is not a number of minutes.
    if any(type(claims.get(name)) is not kind for name, kind in _SLIP_CLAIM_TYPES.items()):
        raise TokenError(TokenProblem.MALFORMED)
    try:
        return Slip(
            code=claims["jti"],
            name=claims["name"],
            meeting=claims["mtg"],
            program=claims["prog"],
            starts_at=datetime.fromtimestamp(claims["start"], UTC),
            ends_at=datetime.fromtimestamp(claims["end"], UTC),
            timezone=claims["tz"],
            present_minutes=claims["min"],
            facilitator=claims["fac"],
            facilitator_id=claims["fid"],
            issued_at=datetime.fromtimestamp(claims["iat"], UTC),
            language=claims["lang"],
        )
    except (ValueError, OverflowError, OSError) as exc:
        raise TokenError(TokenProblem.MALFORMED) from exc
