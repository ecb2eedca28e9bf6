"""Write tests/vectors/slip_vectors.json: fixed keys, a fixed clock, tokens and their verdicts.

Ed25519 signatures are deterministic, so running this again gives the same file (but for the
ES256 forgery: ECDSA signatures are randomised). The test
suite checks the file against the codec, the offline verifier and the running service.

    .venv/bin/python -m tests.vectors.make_vectors
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from compliance.domain.slips import token as slip_token
from compliance.domain.slips.slip import Slip

ISSUER = "https://verify.example.org"
VALIDATION_CLOCK = "2025-03-06T12:00:00Z"
OUT = Path(__file__).with_name("slip_vectors.json")


def fixed_key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(key) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


# When each key was made: a key is retired when the next one (of its purpose) is made, and then
# vouches only for tokens issued (`iat`) until that moment plus the handover minute.
KEY_MADE = {
    "retired": datetime(2025, 1, 1, tzinfo=UTC),
    "revoked": datetime(2025, 3, 5, 2, 4, tzinfo=UTC),
    "current": datetime(2025, 3, 5, 2, 6, tzinfo=UTC),
    "audit": datetime(2025, 1, 1, tzinfo=UTC),
}
HANDOVER_SECONDS = 60
ISSUED = datetime(2025, 3, 5, 2, 10, tzinfo=UTC)


def slip(code: str, name: str = "Dana Kowalski", issued_at: datetime = ISSUED) -> Slip:
    return Slip(
        code=code,
        name=name,
        meeting="Tuesday Evening Recovery Circle",
        program="SMART Recovery",
        starts_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC),
        ends_at=datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
        timezone="America/Chicago",
        present_minutes=58,
        facilitator="Sam R.",
        facilitator_id="F-1A2B3C4D",
        issued_at=issued_at,
    )


def unsigned(header: dict, claims: dict) -> str:
    return (
        b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64(json.dumps(claims, separators=(",", ":")).encode())
    )


def until(successor: str) -> int:
    return int(KEY_MADE[successor].timestamp()) + HANDOVER_SECONDS


def published(key, token_types, retired_until=None) -> dict:
    trusted = slip_token.TrustedKey(key.public_key(), token_types, retired_until)
    return slip_token.public_jwk(key.public_key(), trusted)


def revocation_id(kid: str, code: str) -> str:
    """64 bits of HMAC-SHA-256 keyed with the kid over the code (written out here, apart from
    the service's own, so the vectors check it)."""
    return b64(hmac.new(kid.encode(), code.encode(), hashlib.sha256).digest()[:8])


def build() -> dict:
    current, retired, revoked, stranger, audit = (fixed_key(f"vector-key-{n}") for n in range(1, 6))
    keys = (current, retired, revoked, stranger, audit)
    kid = {k: slip_token.thumbprint(k.public_key()) for k in keys}
    sign = lambda s, key=current, typ=slip_token.SLIP_TYP, iss=ISSUER: slip_token.sign(  # noqa: E731
        slip_token.slip_claims(s, iss), key, kid[key], typ
    )
    good = sign(slip("VALD2345VALD2345"))
    claims = slip_token.slip_claims(slip("VALD2345VALD2345"), ISSUER)
    header, payload, signature = good.split(".")
    edited = dict(claims, min=60)
    hs_input = unsigned({"alg": "HS256", "kid": kid[current], "typ": slip_token.SLIP_TYP}, claims)
    hs_mac = hmac.new(
        slip_token.raw_public_bytes(current.public_key()), hs_input.encode(), hashlib.sha256
    )
    ec_key = ec.derive_private_key(
        int.from_bytes(hashlib.sha256(b"ec").digest(), "big"), ec.SECP256R1()
    )
    cases = [
        ("valid slip", good, "valid", "valid"),
        (
            "valid slip signed by an older, retired key",
            sign(
                slip("RETD2345RETD2345", issued_at=datetime(2025, 3, 5, 2, 3, tzinfo=UTC)), retired
            ),
            "valid",
            "valid",
        ),
        (
            "retired key used after its window",
            sign(slip("LATE2345LATE2345"), retired),
            "invalid",
            "invalid",
        ),
        (
            "wrong purpose: a slip signed with the audit-log key",
            sign(slip("AUDT2345AUDT2345"), audit),
            "invalid",
            "invalid",
        ),
        (
            "wrong purpose: an audit head signed with the slip key",
            slip_token.sign(
                {"iss": ISSUER, "seq": 7, "hash": "A" * 43, "iat": int(ISSUED.timestamp())},
                current,
                kid[current],
                slip_token.AUDIT_HEAD_TYP,
            ),
            "invalid",
            "invalid",
        ),
        ("non-Latin name", sign(slip("UNIC2345UNIC2345", "Олена Коваль · محمد")), "valid", "valid"),
        ("record revoked by the facilitator", sign(slip("RVKD2345RVKD2345")), "revoked", "revoked"),
        (
            "signed by a revoked key",
            sign(
                slip("KEYR2345KEYR2345", issued_at=datetime(2025, 3, 5, 2, 5, tzinfo=UTC)), revoked
            ),
            "key_revoked",
            "invalid",
        ),
        ("well-signed but unknown code", sign(slip("UNKN2345UNKN2345")), "not_found", "valid"),
        (
            "alg none",
            unsigned({"alg": "none", "kid": kid[current], "typ": slip_token.SLIP_TYP}, claims)
            + ".",
            "invalid",
            "invalid",
        ),
        (
            "HS256 keyed with the public key bytes",
            hs_input + "." + b64(hs_mac.digest()),
            "invalid",
            "invalid",
        ),
        (
            "ES256 signature under our kid",
            jwt.encode(
                claims,
                ec_key,
                algorithm="ES256",
                headers={"kid": kid[current], "typ": slip_token.SLIP_TYP},
            ),
            "invalid",
            "invalid",
        ),
        (
            "unknown kid",
            slip_token.sign(claims, current, "not-a-kid-of-ours", slip_token.SLIP_TYP),
            "invalid",
            "invalid",
        ),
        (
            "payload changed after signing",
            ".".join([header, b64(json.dumps(edited).encode()), signature]),
            "invalid",
            "invalid",
        ),
        (
            "signature from another Ed25519 key under our kid",
            slip_token.sign(claims, stranger, kid[current], slip_token.SLIP_TYP),
            "invalid",
            "invalid",
        ),
        ("truncated", good[:-20], "invalid", "invalid"),
        ("extra segment", good + ".e30", "invalid", "invalid"),
        ("two segments", header + "." + payload, "invalid", "invalid"),
        ("not base64url", header + ".***." + signature, "invalid", "invalid"),
        ("100 KB token", header + "." + "A" * 100_000 + "." + signature, "invalid", "invalid"),
        ("wrong typ", sign(slip("VALD2345VALD2345"), typ="JWT"), "invalid", "invalid"),
        (
            "wrong iss",
            sign(slip("VALD2345VALD2345"), iss="https://forger.example"),
            "invalid",
            "invalid",
        ),
        ("empty", "", "invalid", "invalid"),
    ]
    return {
        "description": "Slip token test vectors (compact JWS, EdDSA/Ed25519). Verdicts hold at the validation clock.",
        "issuer": ISSUER,
        "validation_clock": VALIDATION_CLOCK,
        "keys": {
            "current": {
                "kid": kid[current],
                "private_pem": pem(current),
                "made": KEY_MADE["current"].isoformat(),
                "purpose": "documents",
            },
            "retired": {
                "kid": kid[retired],
                "private_pem": pem(retired),
                "made": KEY_MADE["retired"].isoformat(),
                "purpose": "documents",
            },
            "revoked": {
                "kid": kid[revoked],
                "private_pem": pem(revoked),
                "made": KEY_MADE["revoked"].isoformat(),
                "purpose": "documents",
                "reason": "test vector: key withdrawn",
            },
            "audit": {
                "kid": kid[audit],
                "private_pem": pem(audit),
                "made": KEY_MADE["audit"].isoformat(),
                "purpose": "audit",
            },
        },
        "jwks": {
            "keys": [
                published(current, slip_token.DOCUMENT_TYPES),
                # Retired when the revoked key was made (revoked keys leave the set).
                published(retired, slip_token.DOCUMENT_TYPES, until("revoked")),
            ]
        },
        "audit_jwks": {"keys": [published(audit, slip_token.AUDIT_TYPES)]},
        "revoked_records": [
            {"code": "RVKD2345RVKD2345", "reason": "test vector: issued by mistake"}
        ],
        "crl": {
            "kid": kid[current],
            "ctr": 1,
            "rids": [revocation_id(kid[current], "RVKD2345RVKD2345")],
        },
        "revocation_ids": [
            {"kid": kid[current], "code": code, "rid": revocation_id(kid[current], code)}
            for code in ("RVKD2345RVKD2345", "VALD2345VALD2345")
        ],
        "rfc8037": {
            "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            "thumbprint": "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
            "jws": "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg",
            "payload": "Example of Ed25519 signing",
        },
        "cases": [
            {
                "name": name,
                "token": token,
                "qr_text": f"{ISSUER}/v/{token}",
                "expected": expected,
                "expected_offline": offline,
            }
            for name, token, expected, offline in cases
        ],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
