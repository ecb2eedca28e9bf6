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

from compliance.domain import slip_token
from compliance.domain.slip import Slip

ISSUER = "https://verify.example.org"
VALIDATION_CLOCK = "2025-03-06T12:00:00Z"
OUT = Path(__file__).with_name("slip_vectors.json")


def fixed_key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(key) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


def slip(code: str, name: str = "Dana Kowalski") -> Slip:
    return Slip(
        code=code, name=name, meeting="Tuesday Evening Recovery Circle", program="SMART Recovery",
        starts_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC), ends_at=datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
        timezone="America/Chicago", present_minutes=58, facilitator="Sam R.",
        facilitator_id="F-1A2B3C4D", issued_at=datetime(2025, 3, 5, 2, 5, tzinfo=UTC),
    )


def unsigned(header: dict, claims: dict) -> str:
    return b64(json.dumps(header, separators=(",", ":")).encode()) + "." + b64(
        json.dumps(claims, separators=(",", ":")).encode()
    )


def build() -> dict:
    current, retired, revoked, stranger = (fixed_key(f"vector-key-{n}") for n in range(1, 5))
    kid = {k: slip_token.thumbprint(k.public_key()) for k in (current, retired, revoked, stranger)}
    sign = lambda s, key=current, typ=slip_token.SLIP_TYP, iss=ISSUER: slip_token.sign(  # noqa: E731
        slip_token.slip_claims(s, iss), key, kid[key], typ
    )
    good = sign(slip("VALD2345VALD2345"))
    claims = slip_token.slip_claims(slip("VALD2345VALD2345"), ISSUER)
    header, payload, signature = good.split(".")
    edited = dict(claims, min=60)
    hs_input = unsigned({"alg": "HS256", "kid": kid[current], "typ": slip_token.SLIP_TYP}, claims)
    hs_mac = hmac.new(slip_token.raw_public_bytes(current.public_key()), hs_input.encode(), hashlib.sha256)
    ec_key = ec.derive_private_key(int.from_bytes(hashlib.sha256(b"ec").digest(), "big"), ec.SECP256R1())
    cases = [
        ("valid slip", good, "valid", "valid"),
        ("valid slip signed by an older, retired key", sign(slip("RETD2345RETD2345"), retired), "valid", "valid"),
        ("non-Latin name", sign(slip("UNIC2345UNIC2345", "Олена Коваль · محمد")), "valid", "valid"),
        ("record revoked by the facilitator", sign(slip("RVKD2345RVKD2345")), "revoked", "revoked"),
        ("signed by a revoked key", sign(slip("KEYR2345KEYR2345"), revoked), "key_revoked", "invalid"),
        ("well-signed but unknown code", sign(slip("UNKN2345UNKN2345")), "not_found", "valid"),
        ("alg none", unsigned({"alg": "none", "kid": kid[current], "typ": slip_token.SLIP_TYP}, claims) + ".", "invalid", "invalid"),
        ("HS256 keyed with the public key bytes", hs_input + "." + b64(hs_mac.digest()), "invalid", "invalid"),
        ("ES256 signature under our kid", jwt.encode(claims, ec_key, algorithm="ES256", headers={"kid": kid[current], "typ": slip_token.SLIP_TYP}), "invalid", "invalid"),
        ("unknown kid", slip_token.sign(claims, current, "not-a-kid-of-ours", slip_token.SLIP_TYP), "invalid", "invalid"),
        ("payload changed after signing", ".".join([header, b64(json.dumps(edited).encode()), signature]), "invalid", "invalid"),
        ("signature from another Ed25519 key under our kid", slip_token.sign(claims, stranger, kid[current], slip_token.SLIP_TYP), "invalid", "invalid"),
        ("truncated", good[:-20], "invalid", "invalid"),
        ("extra segment", good + ".e30", "invalid", "invalid"),
        ("two segments", header + "." + payload, "invalid", "invalid"),
        ("not base64url", header + ".***." + signature, "invalid", "invalid"),
        ("100 KB token", header + "." + "A" * 100_000 + "." + signature, "invalid", "invalid"),
        ("wrong typ", sign(slip("VALD2345VALD2345"), typ="JWT"), "invalid", "invalid"),
        ("wrong iss", sign(slip("VALD2345VALD2345"), iss="https://forger.example"), "invalid", "invalid"),
        ("empty", "", "invalid", "invalid"),
    ]
    return {
        "description": "Slip token test vectors (compact JWS, EdDSA/Ed25519). Verdicts hold at the validation clock.",
        "issuer": ISSUER,
        "validation_clock": VALIDATION_CLOCK,
        "keys": {
            "current": {"kid": kid[current], "private_pem": pem(current)},
            "retired": {"kid": kid[retired], "private_pem": pem(retired)},
            "revoked": {"kid": kid[revoked], "private_pem": pem(revoked), "reason": "test vector: key withdrawn"},
        },
        "jwks": {"keys": [slip_token.public_jwk(k.public_key()) for k in (current, retired)]},
        "revoked_records": [{"code": "RVKD2345RVKD2345", "reason": "test vector: issued by mistake"}],
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
