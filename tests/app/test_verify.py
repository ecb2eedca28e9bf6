"""Officers: verify by token or code (JSON and HTML), JWKS for offline checks, revocation."""

import base64
import json

import jwt
import pytest

from compliance.domain.slips import token as slip_token
from tests.app.journey import signed_session


def revoke(user, record_id, reason="Wrong person: corrected slip issued"):
    response = user.post(f"/api/v1/records/{record_id}/revoke", json={"reason": reason})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_fresh_slip_verifies_valid_by_token_and_by_code(client, facilitator):
    _, (record,) = signed_session(facilitator)
    by_token = client.get(f"/api/v1/verify/{record['token']}").get_json()
    by_code = client.get(f"/api/v1/verify/{record['code'].lower()}").get_json()
    assert by_token["status"] == by_code["status"] == "valid"
    assert by_token["record"] == by_code["record"]
    shown = by_token["record"]
    assert shown["code"] == record["code"]
    assert shown["name"] == "Dana Kowalski"
    assert shown["meeting"] == "Tuesday Evening Recovery Circle"
    assert shown["program"] == "SMART Recovery"
    assert shown["starts_at"] == "2025-03-04T19:00:00-06:00"
    assert shown["ends_at"] == "2025-03-04T20:00:00-06:00"
    assert shown["timezone"] == "America/Chicago"
    assert shown["present_minutes"] == 58  # 19:00–19:31 and 19:33–20:00
    assert shown["facilitator"] == "Sam R."
    assert shown["kid"] == jwt.get_unverified_header(record["token"])["kid"]
    assert shown["issued_at"].endswith("Z")


def test_verification_never_shows_emails_or_other_attendees(client, facilitator):
    _, (record,) = signed_session(facilitator)
    text = client.get(f"/api/v1/verify/{record['token']}").get_data(as_text=True)
    page = client.get(f"/v/{record['token']}").get_data(as_text=True)
    for shown in (text, page):
        assert "dana.k@example.net" not in shown
        assert "Lee Park" not in shown
        assert "sam@example.org" not in shown


def test_the_jwks_verifies_the_token_offline_with_pyjwt(client, facilitator):
    _, (record,) = signed_session(facilitator)
    jwks = client.get("/.well-known/jwks.json").get_json()
    kid = jwt.get_unverified_header(record["token"])["kid"]
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == kid]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk
    key = jwt.PyJWK(jwk, algorithm="EdDSA").key
    claims = jwt.decode(
        record["token"],
        key,
        algorithms=["EdDSA"],
        issuer="https://verify.example.org",
        options={"require": ["iss", "jti", "iat"]},
    )
    assert claims["jti"] == record["code"].replace("-", "")
    assert claims["name"] == "Dana Kowalski"


def test_the_kid_is_the_rfc7638_thumbprint_of_the_published_key(client, facilitator):
    (jwk,) = client.get("/.well-known/jwks.json").get_json()["keys"]
    public = slip_token.public_key_from_jwk(jwk)
    assert jwk["kid"] == slip_token.thumbprint(public)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_edited_payload_is_invalid(client, facilitator):
    _, (record,) = signed_session(facilitator)
    header, payload, signature = record["token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["name"] = "Someone Else"
    forged = ".".join([header, b64(json.dumps(claims).encode()), signature])
    answer = client.get(f"/api/v1/verify/{forged}").get_json()
    assert answer["status"] == "invalid"
    assert answer["record"] is None


@pytest.mark.parametrize(
    "garbage",
    ["x", "a.b.c", "....", "%00", "eyJhbGciOiJub25lIn0.e30.", "A" * 5000, "é.é.é", "ABCD.EFGH"],
)
def test_garbage_is_invalid_or_unknown_never_an_error(client, facilitator, garbage):
    response = client.get(f"/api/v1/verify/{garbage}")
    assert response.status_code == 200
    assert response.get_json()["status"] in {"invalid", "not_found"}
    assert response.get_json()["record"] is None


def test_an_unknown_code_is_not_found(client, facilitator):
    signed_session(facilitator)
    answer = client.get("/api/v1/verify/2345-6789-ABCD-EFGH").get_json()
    assert answer == {"status": "not_found", "record": None, "reason": answer["reason"]}


def test_revoked_slip_says_so_with_the_reason(client, facilitator):
    _, (record,) = signed_session(facilitator)
    revoke(facilitator, record["id"])
    answer = client.get(f"/api/v1/verify/{record['code']}").get_json()
    assert answer["status"] == "revoked"
    assert answer["reason"] == "Wrong person: corrected slip issued"
    assert answer["record"]["name"] == "Dana Kowalski"
    page = client.get(f"/v/{record['token']}").get_data(as_text=True)
    assert "Revoked" in page and "Wrong person: corrected slip issued" in page


def test_the_html_verdict_page_is_clear(client, facilitator):
    _, (record,) = signed_session(facilitator)
    page = client.get(f"/v/{record['token']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Valid" in html and "Dana Kowalski" in html and record["code"] in html
    assert "Compare these details" in html
    forged = client.get("/v/" + record["token"][:-4] + "AAAA").get_data(as_text=True)
    assert "Not issued by this service" in forged and "Dana Kowalski" not in forged


def test_the_type_a_code_page(client, facilitator):
    _, (record,) = signed_session(facilitator)
    valid = client.get("/verify", query_string={"code": record["code"].lower()})
    assert "Valid" in valid.get_data(as_text=True)
    unknown = client.get("/verify", query_string={"code": "2345-6789-ABCD-EFGH"})
    assert "Unknown code" in unknown.get_data(as_text=True)


def test_slip_download_is_a_pdf_without_login_and_byte_identical(client, facilitator):
    _, (record,) = signed_session(facilitator)
    first = client.get(record["slip_url"])
    second = client.get(record["slip_url"])
    assert first.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF-")
    assert first.data == second.data


def test_a_tampered_or_guessed_slip_link_is_404(client, facilitator):
    _, (record,) = signed_session(facilitator)
    link = record["slip_url"]
    assert client.get(link.replace(".pdf", "x.pdf")).status_code == 404
    assert client.get(f"/slips/{record['id']}.pdf").status_code == 404
    assert client.get(f"/slips/{record['code']}.pdf").status_code == 404


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_no_cache_may_replay_a_verdict_after_a_revocation(client, facilitator):
    _, (record,) = signed_session(facilitator)
    answers = [
        client.get(f"/api/v1/verify/{record['code']}"),
        client.get(f"/api/v1/verify/{record['token']}"),
        client.get("/api/v1/verify/2345-6789-ABCD-EFGH"),
        client.get(f"/v/{record['token']}"),
        client.get(f"/verify?code={record['code']}"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert answer.headers["Cache-Control"] == "no-store", answer.request.path


def test_a_verdict_is_written_exactly_as_jsonify_writes_it(app, client, facilitator):
    from flask import jsonify

    from compliance.services import verification

    _, (record,) = signed_session(facilitator)
    revoke(facilitator, record["id"], "Wrong person: «corrected» slip issued")
    for asked in (record["token"], record["code"], "2345-6789-ABCD-EFGH", "not.a.token"):
        answer = client.get(f"/api/v1/verify/{asked}")
        with app.app_context():
            expected = jsonify(verification.verify_code_or_token(asked).as_dict())
        assert answer.data == expected.data, asked
        assert answer.mimetype == "application/json"
    assert b'"status":"revoked"' in client.get(f"/api/v1/verify/{record['code']}").data


def test_a_verify_path_with_slashes_still_gets_a_verdict(client):
    answer = client.get("/api/v1/verify/abc/def")
    assert answer.status_code == 200 and answer.get_json()["status"] == "not_found"
    assert client.get("/v/abc/def").status_code == 200
