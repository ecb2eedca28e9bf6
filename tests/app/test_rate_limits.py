"""Guessing codes is throttled quickly; checking real slips is not."""

import pytest

from compliance.web.limits import UNKNOWN_CODES_ALLOWED
from tests.app.journey import signed_session

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
