"""The fixed slip vectors (tests/vectors/slip_vectors.json) against codec, offline and service."""

import json
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest

from compliance.domain import offline
from compliance.domain.slips import token as slip_token
from compliance.extensions import db
from compliance.models import (
    AttendanceRecord,
    Attendee,
    Meeting,
    MeetingSession,
    Participant,
    SigningKey,
)
from compliance.services import key_rotation, keyring

VECTORS = json.loads((Path(__file__).parent / "vectors" / "slip_vectors.json").read_text("utf-8"))
CASES = VECTORS["cases"]
CRL = VECTORS["crl"]


def test_the_vectors_cover_the_required_negative_cases():
    names = {case["name"] for case in CASES}
    for required in [
        "alg none",
        "HS256 keyed with the public key bytes",
        "unknown kid",
        "signed by a revoked key",
        "payload changed after signing",
        "truncated",
        "extra segment",
        "not base64url",
        "100 KB token",
        "wrong typ",
        "wrong iss",
        "retired key used after its window",
        "wrong purpose: a slip signed with the audit-log key",
        "wrong purpose: an audit head signed with the slip key",
    ]:
        assert required in names


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_offline_verdicts(case):
    verdict = offline.verify_offline(case["token"], VECTORS["jwks"], CRL, VECTORS["issuer"])
    assert verdict.status.value == case["expected_offline"]
    assert case["qr_text"] == f"{VECTORS['issuer']}/v/{case['token']}"


def test_a_key_set_listing_the_audit_key_still_refuses_slips_it_signed():
    both = {"keys": VECTORS["jwks"]["keys"] + VECTORS["audit_jwks"]["keys"]}
    (case,) = [c for c in CASES if c["name"].startswith("wrong purpose: a slip")]
    verdict = offline.verify_offline(case["token"], both, CRL, VECTORS["issuer"])
    assert verdict.status.value == "invalid" and "kind of document" in verdict.reason


def test_the_revocation_list_names_records_only_by_derived_id():
    assert "revoked" not in CRL and "RVKD" not in json.dumps(CRL)
    for example in VECTORS["revocation_ids"]:
        assert offline.revocation_id(example["kid"], example["code"]) == example["rid"]


def test_the_retired_key_is_published_with_the_end_of_its_window():
    retired = VECTORS["keys"]["retired"]["kid"]
    (jwk,) = [k for k in VECTORS["jwks"]["keys"] if k["kid"] == retired]
    made = datetime.fromisoformat(VECTORS["keys"]["revoked"]["made"])
    assert jwk["until"] == int(made.timestamp()) + keyring.KEY_HANDOVER_SECONDS


def test_rfc8037_example():
    rfc = VECTORS["rfc8037"]
    public = slip_token.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": rfc["x"]})
    assert slip_token.thumbprint(public) == rfc["thumbprint"]
    assert jwt.api_jws.decode(rfc["jws"], public, algorithms=["EdDSA"]).decode() == rfc["payload"]


def _install_vector_keys(app) -> None:
    """Install the vector keys as made when the vectors say (each retires the one before)."""
    keys_dir = Path(app.config["KEYS_DIR"])
    prefixes = {"documents": "signing", "audit": "audit"}
    for key in VECTORS["keys"].values():
        (keys_dir / f"{prefixes[key['purpose']]}-{key['kid']}.pem").write_text(key["private_pem"])
    keyring.register_key_files(str(keys_dir))
    for key in VECTORS["keys"].values():
        db.session.get(SigningKey, key["kid"]).created_at = datetime.fromisoformat(key["made"])
    db.session.commit()
    revoked = VECTORS["keys"]["revoked"]
    key_rotation.revoke_signing_key(revoked["kid"], revoked["reason"])


def _install_vector_records() -> None:
    """Store the records the positive vectors were issued as (the codes a service would know)."""
    meeting = Meeting(
        name="Tuesday Evening Recovery Circle", program="SMART Recovery", timezone="America/Chicago"
    )
    start = datetime(2025, 3, 5, 1, tzinfo=UTC)
    session = MeetingSession(
        meeting=meeting,
        starts_at=start,
        ends_at=start.replace(hour=2),
        checkin_code="VECTORCHECKIN234",
        checkout_code="VECTORCHECKOUT23",
    )
    db.session.add_all([meeting, session])
    db.session.flush()
    revoked_codes = {r["code"]: r["reason"] for r in VECTORS["revoked_records"]}
    for case in CASES:
        if case["expected"] not in {"valid", "revoked", "key_revoked"}:
            continue
        header = jwt.get_unverified_header(case["token"])
        claims = slip_token.read_claims_unverified(case["token"])
        person = Participant(session=session, name=claims["name"], name_key=claims["name"])
        db.session.add(person)
        db.session.flush()
        record = AttendanceRecord(
            code=claims["jti"],
            session_id=session.id,
            participant_id=person.id,
            attendee=Attendee(name=claims["name"]),
            name=claims["name"],
            present_minutes=claims["min"],
            token=case["token"],
            kid=header["kid"],
            issued_at=datetime.fromtimestamp(claims["iat"], UTC),
        )
        if claims["jti"] in revoked_codes:
            record.revoked_at = datetime(2025, 3, 6, tzinfo=UTC)
            record.revoked_reason = revoked_codes[claims["jti"]]
        db.session.add(record)
    db.session.commit()


@pytest.fixture
def vector_service(app):
    assert app.config["BASE_URL"] == VECTORS["issuer"]
    with app.app_context():
        _install_vector_keys(app)
        _install_vector_records()
    return app.test_client()


def test_service_verdicts_for_every_vector(vector_service):
    for case in [c for c in CASES if c["token"]]:  # an empty path segment is no URL to call
        response = vector_service.get(f"/api/v1/verify/{case['token']}")
        assert response.status_code == 200, case["name"]
        answer = response.get_json()
        assert answer["status"] == case["expected"], case["name"]
        if case["expected"] in {"invalid", "not_found"}:
            assert answer["record"] is None, case["name"]
        page = vector_service.get(f"/v/{case['token']}")
        assert page.status_code == 200, case["name"]


def test_the_service_jwks_lists_the_vector_keys_but_not_the_revoked_one(vector_service):
    kids = {k["kid"] for k in vector_service.get("/.well-known/jwks.json").get_json()["keys"]}
    assert {VECTORS["keys"]["current"]["kid"], VECTORS["keys"]["retired"]["kid"]} <= kids
    assert VECTORS["keys"]["revoked"]["kid"] not in kids
