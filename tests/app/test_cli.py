"""Operator commands: setup, users, tokens, keys."""

import os
import stat

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import ApiToken, SigningKey
from tests.app.journey import signed_session


def test_setup_is_idempotent_and_keeps_the_key(app, runner):
    first = runner.invoke(args=["setup"])
    second = runner.invoke(args=["setup"])
    assert first.exit_code == second.exit_code == 0, first.output
    kid = first.output.strip().split()[-1]
    assert second.output.strip().split()[-1] == kid
    with app.app_context():
        purposes = db.session.scalars(sa.select(SigningKey.purposes)).all()
    assert sorted(purposes) == ["audit", "documents"]  # one key each, made once


def test_key_and_secret_files_are_private(app):
    keys_dir = app.config["KEYS_DIR"]
    files = os.listdir(keys_dir)
    assert "app-secret" in files and any(f.startswith("signing-") for f in files)
    assert any(f.startswith("audit-") for f in files)
    for name in files:
        assert stat.S_IMODE(os.stat(os.path.join(keys_dir, name)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keys_dir).st_mode) == 0o700


def test_users_and_tokens(app, runner, client):
    created = runner.invoke(
        args=["users", "create", "Kim@Example.org", "--name", "Kim O.", "--role", "facilitator"]
    )
    assert created.exit_code == 0, created.output
    duplicate = runner.invoke(
        args=["users", "create", "kim@example.org", "--name", "Kim", "--role", "facilitator"]
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    issued = runner.invoke(args=["tokens", "create", "kim@example.org"])
    token = issued.output.strip().splitlines()[-1]
    assert issued.exit_code == 0 and token.startswith("cpt_")
    with app.app_context():
        stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert token not in stored  # only a digest is kept
    response = client.get("/api/v1/meetings/nope", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # authenticated, meeting unknown
    assert runner.invoke(args=["tokens", "create", "nobody@example.org"]).exit_code != 0


def test_bad_user_input_is_refused_with_a_reason(runner):
    result = runner.invoke(
        args=["users", "create", "not-an-email", "--name", "X", "--role", "officer"]
    )
    assert result.exit_code != 0 and "not an email" in result.output


def test_rotation_keeps_old_slips_valid_and_signs_new_ones_with_the_new_key(
    app, runner, client, facilitator
):
    _, (old,) = signed_session(facilitator)
    rotated = runner.invoke(args=["keys", "rotate"])
    new_kid = rotated.output.strip().splitlines()[-1]
    assert rotated.exit_code == 0
    _, (new,) = signed_session(facilitator)
    assert client.get(f"/api/v1/verify/{old['token']}").get_json()["status"] == "valid"
    answer = client.get(f"/api/v1/verify/{new['token']}").get_json()
    assert answer["status"] == "valid" and answer["record"]["kid"] == new_kid
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert len(kids) == 2 and new_kid in kids


def test_a_revoked_key_leaves_the_jwks_and_its_slips_say_key_revoked(runner, client, facilitator):
    _, (record,) = signed_session(facilitator)
    old_kid = client.get(f"/api/v1/verify/{record['token']}").get_json()["record"]["kid"]
    runner.invoke(args=["keys", "rotate"])
    revoked = runner.invoke(args=["keys", "revoke", old_kid, "--reason", "laptop stolen"])
    assert revoked.exit_code == 0, revoked.output
    answer = client.get(f"/api/v1/verify/{record['code']}").get_json()
    assert answer["status"] == "key_revoked"
    assert answer["reason"] == "laptop stolen"
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert old_kid not in kids and len(kids) == 1
    _, (fresh,) = signed_session(facilitator)
    assert client.get(f"/api/v1/verify/{fresh['token']}").get_json()["status"] == "valid"


def test_revoking_an_unknown_kid_fails(runner):
    result = runner.invoke(args=["keys", "revoke", "nope", "--reason", "x"])
    assert result.exit_code != 0 and "no signing key" in result.output


def test_an_existing_open_keys_folder_is_closed_when_a_secret_goes_in(tmp_path):
    from compliance.services.keyring import load_or_create_app_secret

    folder = tmp_path / "keys"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    load_or_create_app_secret(str(folder))
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_revoking_the_current_key_stops_signing_until_a_rotation(runner, client, facilitator):
    from tests.app.journey import at, attend, create_meeting, open_session

    older = runner.invoke(args=["keys", "rotate"]).output.strip().splitlines()[-1]
    current = runner.invoke(args=["keys", "rotate"]).output.strip().splitlines()[-1]
    assert older != current
    revoked = runner.invoke(args=["keys", "revoke", current, "--reason", "laptop stolen"])
    assert revoked.exit_code == 0 and "Nothing is signed" in revoked.output
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    attend(facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
    refused = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert refused.status_code == 409 and "keys rotate" in refused.get_json()["error"]
    assert facilitator.get(f"/api/v1/sessions/{session['id']}").get_json()["status"] == "open"
    newest = runner.invoke(args=["keys", "rotate"]).output.strip().splitlines()[-1]
    (record,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()[
        "records"
    ]
    assert record["kid"] == newest  # never the older key rotated away
