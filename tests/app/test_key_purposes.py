"""Keys sign for one purpose, and a retired key vouches only for what it signed while current."""

import io
import json
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from compliance.domain import offline
from compliance.domain.slips import token as slip_token
from compliance.extensions import db
from compliance.models import AttendanceRecord, KeyPurpose, SigningKey
from compliance.models.types import utcnow
from compliance.services import audit, keyring
from tests.app.journey import signed_session


def _rotate(runner, *args) -> str:
    result = runner.invoke(args=["keys", "rotate", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _private_key(app, kid):
    with app.app_context():
        return keyring.private_key_for(app.config["KEYS_DIR"], db.session.get(SigningKey, kid))


def _re_sign_stored_slip(app, issued: dict, kid: str, typ=slip_token.SLIP_TYP, **changes) -> str:
    """What an attacker holding the database and an old private key could do: sign the
    record's claims anew and store that token as the record's own."""
    code = slip_token.read_claims_unverified(issued["token"])["jti"]
    with app.app_context():
        record = db.session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.code == code)
        ).one()
        claims = {**slip_token.read_claims_unverified(record.token), **changes}
        record.token = slip_token.sign(claims, _private_key(app, kid), kid, typ)
        record.kid = kid
        db.session.commit()
        return record.token


def test_documents_and_audit_heads_have_keys_of_their_own(app, client):
    documents = client.get("/.well-known/jwks.json").get_json()["keys"]
    audit = client.get("/.well-known/audit-jwks.json").get_json()["keys"]
    assert [k["token_types"] for k in documents] == [sorted(slip_token.DOCUMENT_TYPES)]
    assert [k["token_types"] for k in audit] == [["audit-head+jwt"]]
    assert {k["kid"] for k in documents}.isdisjoint(k["kid"] for k in audit)


def test_the_jwks_says_until_when_a_retired_key_vouches(app, client, runner):
    older = client.get("/.well-known/jwks.json").get_json()["keys"][0]["kid"]
    assert "until" not in client.get("/.well-known/jwks.json").get_json()["keys"][0]
    current = _rotate(runner)
    keys = {k["kid"]: k for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    with app.app_context():
        made = db.session.get(SigningKey, current).created_at
    assert keys[older]["until"] == int(made.timestamp()) + keyring.KEY_HANDOVER_SECONDS
    assert "until" not in keys[current]
    # Rotating the audit key retires only the audit key.
    _rotate(runner, "--purpose", "audit")
    assert (
        "until"
        not in {k["kid"]: k for k in client.get("/.well-known/jwks.json").get_json()["keys"]}[
            current
        ]
    )


def test_a_slip_signed_before_the_rotation_stays_valid(client, runner, facilitator):
    _, (record,) = signed_session(facilitator)
    _rotate(runner)
    assert client.get(f"/api/v1/verify/{record['token']}").get_json()["status"] == "valid"


def test_a_retired_key_cannot_vouch_for_a_slip_dated_after_it_was_retired(
    app, client, runner, facilitator, tmp_path
):
    _, (record,) = signed_session(facilitator)
    older = record["kid"]
    _rotate(runner)
    later = int((utcnow() + timedelta(hours=2)).timestamp())
    forged = _re_sign_stored_slip(app, record, older, iat=later, min=240)
    answer = client.get(f"/api/v1/verify/{forged}").get_json()
    assert answer["status"] == "invalid" and "retired" in answer["reason"]
    assert client.get(f"/api/v1/verify/{record['code']}").get_json()["status"] == "invalid"
    jwks = tmp_path / "jwks.json"
    jwks.write_text(client.get("/.well-known/jwks.json").data.decode())
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent/dir/db.sqlite3"
    result = runner.invoke(args=["slips", "verify", forged, "--jwks", str(jwks)])
    assert "INVALID" in result.output and "retired" in result.output


def test_a_slip_signed_with_the_audit_key_is_not_a_slip(app, client, facilitator):
    _, (record,) = signed_session(facilitator)
    with app.app_context():
        audit_kid = keyring.current_key_row(KeyPurpose.AUDIT).kid
    forged = _re_sign_stored_slip(app, record, audit_kid)
    answer = client.get(f"/api/v1/verify/{forged}").get_json()
    assert answer["status"] == "invalid"
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert offline.verify_offline(forged, jwks).status.value == "invalid"
    # Even given a key set that lists the audit key, its purpose is read from the set.
    audit_jwks = client.get("/.well-known/audit-jwks.json").get_json()
    verdict = offline.verify_offline(forged, {"keys": jwks["keys"] + audit_jwks["keys"]})
    assert verdict.status.value == "invalid" and "kind of document" in verdict.reason


def _signed_head(app) -> None:
    with app.app_context():
        assert audit.sign_head() is not None


def test_an_audit_head_is_not_a_slip(app, client, facilitator):
    signed_session(facilitator)
    _signed_head(app)
    with app.app_context():
        head = db.session.scalars(
            sa.text("SELECT token FROM audit_head_signatures ORDER BY seq DESC LIMIT 1")
        ).first()
    assert head is not None
    assert client.get(f"/api/v1/verify/{head}").get_json()["status"] == "invalid"


def test_heads_signed_with_a_documents_key_do_not_verify_the_audit_log(app, runner, facilitator):
    signed_session(facilitator)
    _signed_head(app)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        documents_kid = keyring.current_key_row(KeyPurpose.DOCUMENTS).kid
        key = _private_key(app, documents_kid)
        rows = db.session.execute(sa.text("SELECT seq, token FROM audit_head_signatures")).all()
        for seq, token in rows:
            claims = slip_token.read_claims_unverified(token)
            forged = slip_token.sign(claims, key, documents_kid, slip_token.AUDIT_HEAD_TYP)
            db.session.execute(
                sa.text("UPDATE audit_head_signatures SET token = :t WHERE seq = :s"),
                {"t": forged, "s": seq},
            )
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0, result.output


def _readme_recipe() -> str:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Verifying a slip offline", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _run_readme_recipe(monkeypatch, jwks: dict, token: str) -> dict:
    monkeypatch.setattr(
        urllib.request, "urlopen", lambda url: io.BytesIO(json.dumps(jwks).encode())
    )
    scope = {"token": token}
    exec(_readme_recipe(), scope)  # noqa: S102 (the README's own code, run as a reader would)
    return scope["claims"]


def test_the_readme_recipe_applies_purposes_and_retirement(
    app, client, runner, facilitator, monkeypatch
):
    _, (record,) = signed_session(facilitator)
    jwks = client.get("/.well-known/jwks.json").get_json()
    assert _run_readme_recipe(monkeypatch, jwks, record["token"])["jti"]
    _signed_head(app)
    with app.app_context():
        head = db.session.scalars(sa.text("SELECT token FROM audit_head_signatures")).first()
    with pytest.raises(ValueError, match="not a slip"):
        _run_readme_recipe(monkeypatch, jwks, head)
    successor = _rotate(runner)
    with app.app_context():  # rotated two hours ago: PyJWT refuses an `iat` in the future
        db.session.get(SigningKey, record["kid"]).created_at = utcnow() - timedelta(hours=3)
        db.session.get(SigningKey, successor).created_at = utcnow() - timedelta(hours=2)
        db.session.commit()
    later = int((utcnow() - timedelta(minutes=10)).timestamp())
    forged = _re_sign_stored_slip(app, record, record["kid"], iat=later)
    jwks = client.get("/.well-known/jwks.json").get_json()
    with pytest.raises(ValueError, match="retired"):
        _run_readme_recipe(monkeypatch, jwks, forged)
