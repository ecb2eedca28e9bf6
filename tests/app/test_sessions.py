"""The session interface: nothing for cookie-less requests, Flask's behaviour for the rest."""

from __future__ import annotations


def test_a_cookie_less_request_gets_no_cookie_and_no_vary(client):
    response = client.get("/api/v1/verify/2345-6789-ABCD-EFGH")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and "Vary" not in response.headers


def test_other_cookies_or_a_forged_session_cookie_sign_nobody_in(app, facilitator):
    client = app.test_client()
    client.set_cookie("unrelated", "1")
    assert client.get("/facilitator/").status_code == 302
    client.set_cookie("session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    assert client.get("/facilitator/").status_code == 302


def test_a_signed_in_session_still_round_trips_and_ends(sam):
    browser = sam  # signed in through the sign-in form
    assert browser.get("/facilitator/").status_code == 200
    signed_out = browser.post("/sign-out")
    assert signed_out.headers["Set-Cookie"].startswith("session=")  # rewritten without the user
    assert browser.get("/facilitator/").status_code == 302
