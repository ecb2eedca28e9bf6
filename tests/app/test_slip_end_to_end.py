"""The whole path an officer takes: issued PDF → qpdf-clean → QR scanned → token checked offline."""

import jwt

from tests.app.journey import signed_session
from tests.support.pdf_tools import decode_qr_texts, pdf_text, qpdf_check, render_pages


def test_the_issued_slip_scans_and_verifies_offline_against_the_jwks(client, facilitator, tmp_path):
    _, (record,) = signed_session(facilitator)
    pdf = client.get(record["slip_url"]).data
    qpdf_check(pdf)
    (page,) = render_pages(pdf, dpi=150, directory=tmp_path)
    (scanned,) = decode_qr_texts(page)
    assert scanned == f"https://verify.example.org/v/{record['token']}"

    token = scanned.rsplit("/v/", 1)[1]
    jwks = jwt.PyJWKSet.from_dict(client.get("/.well-known/jwks.json").get_json())
    key = jwks[jwt.get_unverified_header(token)["kid"]].key
    claims = jwt.decode(token, key, algorithms=["EdDSA"], issuer="https://verify.example.org")
    assert claims["jti"] == record["code"].replace("-", "")
    assert claims["name"] == "Dana Kowalski" and claims["min"] == 58

    text = pdf_text(pdf)
    for printed in (
        "Dana Kowalski",
        record["code"],
        "Tuesday Evening Recovery Circle",
        "SMART Recovery",
        "Sam R.",
        "UTC−06:00",
    ):
        assert printed in text

    answer = client.get(scanned.replace("https://verify.example.org", "")).get_data(as_text=True)
    assert "Valid" in answer and record["code"] in answer
