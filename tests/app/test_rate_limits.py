"""Guessing codes is throttled quickly; checking real slips is not."""

import io

import pytest

from compliance import register_proxies
from compliance.web.limits import UNKNOWN_CODES_ALLOWED, WRONG_UPLOADS_ALLOWED
from tests.app.journey import signed_session
from tests.app.web_session import Browser, give_password

ALLOWED_UNKNOWN = int(UNKNOWN_CODES_ALLOWED.split()[0])


@pytest.fixture
def limited_app(app):
    app.config["RATELIMIT_ENABLED"] = True
    from compliance.extensions import limiter

    limiter.reset()
    return app


def guess(client, n: int) -> str:
    code = f"{n:04d}".translate(str.maketrans("0123456789", "23456789AB"))
    return f"/api/v1/verify/2345-6789-ABCD-{code}"


def test_guessing_unknown_codes_is_throttled(limited_app, facilitator):
    client = limited_app.test_client()
    statuses = [client.get(guess(client, n)).status_code for n in range(ALLOWED_UNKNOWN + 3)]
    assert statuses[:ALLOWED_UNKNOWN] == [200] * ALLOWED_UNKNOWN
    assert statuses[-1] == 429
    throttled = client.get(guess(client, 9999))
    assert throttled.status_code == 429 and "Too many attempts" in throttled.get_json()["error"]
    page = client.get("/verify?code=2345-6789-ABCD-EFGH")
    assert page.status_code == 429  # the HTML form shares the same budget


def test_an_officer_checking_real_slips_is_never_blocked(limited_app, facilitator):
    _, (record,) = signed_session(facilitator)
    client = limited_app.test_client()
    for _ in range(ALLOWED_UNKNOWN * 2):
        assert client.get(f"/api/v1/verify/{record['code']}").get_json()["status"] == "valid"


def test_the_limit_is_per_client(limited_app, facilitator):
    first = limited_app.test_client()
    for n in range(ALLOWED_UNKNOWN + 1):
        first.get(guess(first, n))
    other = limited_app.test_client()
    response = other.get(guess(other, 1), environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200


def test_a_right_code_is_answered_even_past_the_budget(limited_app, facilitator):
    _, (record,) = signed_session(facilitator)
    client = limited_app.test_client()
    for n in range(ALLOWED_UNKNOWN + 2):
        client.get(guess(client, n))
    assert client.get(guess(client, 9998)).status_code == 429
    right = client.get(f"/api/v1/verify/{record['code']}")
    assert right.status_code == 200 and right.get_json()["status"] == "valid"
    page = client.get(f"/verify?code={record['code']}")
    assert page.status_code == 200 and "Valid" in page.text
    assert (
        client.get(record["verify_url"].removeprefix("https://verify.example.org")).status_code
        == 200
    )


def _upload(client, data: bytes, address: str = "127.0.0.1"):
    return client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(data), "slip.pdf")},
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_uploads_are_limited_and_genuine_ones_never_are(limited_app, facilitator):
    _, (record,) = signed_session(facilitator)
    client = limited_app.test_client()
    genuine = client.get(record["slip_url"]).data
    not_a_slip = b"%PDF-1.4\n%%EOF\n"
    allowed = int(WRONG_UPLOADS_ALLOWED.split()[0])
    statuses = [_upload(client, not_a_slip).status_code for _ in range(allowed + 1)]
    assert statuses == [422] * allowed + [429]
    assert _upload(client, genuine).get_json()["status"] == "valid"
    assert _upload(client, not_a_slip, "10.0.0.9").status_code == 422  # another client


@pytest.fixture
def behind_one_proxy(limited_app):
    limited_app.config["TRUSTED_PROXIES"] = 1
    register_proxies(limited_app)
    return limited_app


def _guess_from(client, n: int, forwarded_for: str):
    return client.get(guess(client, n), headers={"X-Forwarded-For": forwarded_for})


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(behind_one_proxy):
    client = behind_one_proxy.test_client()
    for n in range(ALLOWED_UNKNOWN + 1):
        _guess_from(client, n, "203.0.113.7")
    assert _guess_from(client, 1, "203.0.113.7").status_code == 429
    assert _guess_from(client, 1, "198.51.100.2").status_code == 200


def test_behind_a_trusted_proxy_the_scheme_comes_from_it(behind_one_proxy):
    client = behind_one_proxy.test_client()
    response = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response.headers


def test_without_trusted_proxies_forwarded_headers_are_ignored(limited_app):
    client = limited_app.test_client()
    for n in range(ALLOWED_UNKNOWN + 1):
        _guess_from(client, n, "203.0.113.7")
    # Anyone can write X-Forwarded-For: it does not buy a fresh budget.
    assert _guess_from(client, 1, "198.51.100.2").status_code == 429
    plain = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in plain.headers


def test_sign_in_failures_are_limited_per_account_across_addresses(limited_app, facilitator):
    give_password(limited_app, facilitator.email)
    browser = Browser(limited_app.test_client())
    browser.get("/sign-in")

    def attempt(n: int, email=facilitator.email):
        address = f"10.1.{n // 250}.{n % 250 + 1}"  # a new address each time
        return browser.post(
            "/sign-in",
            {"email": email, "password": "not the password"},
            environ_base={"REMOTE_ADDR": address},
        )

    statuses = [attempt(n).status_code for n in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    assert attempt(99, email="someone.else@example.org").status_code == 200
