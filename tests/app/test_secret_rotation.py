"""Rotating the app secret: links already sent keep opening while the old secret is a fallback."""

from compliance.config import settings_from_environment
from tests.app.journey import signed_session
from tests.app.pages import page_with

BASE = "https://verify.example.org"


def _rotate_secret(app, fallbacks: list[str]) -> None:
    app.config["SECRET_KEY"] = "a new app secret, made for the rotation"  # noqa: S105
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks


def test_links_sent_before_a_rotation_open_with_the_old_secret_as_a_fallback(
    app, client, facilitator
):
    _, (record,) = signed_session(facilitator)
    page = page_with(app, [record]).removeprefix(BASE)
    slip = record["slip_url"].removeprefix(BASE)
    old_secret = app.config["SECRET_KEY"]
    assert client.get(page).status_code == 200

    _rotate_secret(app, [old_secret])
    assert client.get(page).status_code == 200
    assert client.get(slip).status_code == 200
    # New links are signed with the new secret: they open once the old one is dropped.
    fresh = page_with(app, [record]).removeprefix(BASE)
    assert fresh != page

    _rotate_secret(app, [])
    assert client.get(page).status_code == 404
    assert client.get(slip).status_code == 404
    assert client.get(fresh).status_code == 200


def test_a_sign_in_survives_the_rotation_too(app, facilitator):
    from tests.app.web_session import signed_in

    browser = signed_in(app, facilitator.email)
    assert browser.get("/facilitator/").status_code == 200
    _rotate_secret(app, [app.config["SECRET_KEY"]])
    assert browser.get("/facilitator/").status_code == 200
    _rotate_secret(app, [])
    assert browser.get("/facilitator/").status_code == 302  # to the sign-in page


def test_fallbacks_and_trusted_proxies_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPLIANCE_SECRET_KEY_FALLBACKS", " old-one , older-one ,")
    monkeypatch.setenv("COMPLIANCE_TRUSTED_PROXIES", "1")
    settings = settings_from_environment(str(tmp_path))
    assert settings["SECRET_KEY_FALLBACKS"] == ["old-one", "older-one"]
    assert settings["TRUSTED_PROXIES"] == 1
    monkeypatch.setenv("COMPLIANCE_TRUSTED_PROXIES", "one")
    try:
        settings_from_environment(str(tmp_path))
    except ValueError as error:
        assert "COMPLIANCE_TRUSTED_PROXIES" in str(error)
    else:
        raise AssertionError("a proxy count that is not a number must stop the start")
