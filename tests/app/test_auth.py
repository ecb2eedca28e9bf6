"""Signing in and out, CSRF, roles, set-password links, admin pages, account commands."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import ApiToken, User
from compliance.services import accounts, passwords
from tests.app.web_session import PASSWORD, Browser, give_password, signed_in


@pytest.fixture
def sam(app, facilitator):
    give_password(app, facilitator.email)
    return facilitator


def session_cookie(browser: Browser) -> str | None:
    cookie = browser.client.get_cookie("session")
    return cookie.value if cookie else None


def test_good_password_signs_in_and_lands_on_the_dashboard(app, sam):
    browser = Browser(app.test_client())
    response = browser.sign_in(sam.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/facilitator/")
    page = browser.get("/facilitator/")
    assert page.status_code == 200 and "My meetings" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("sam@example.org", "wrong password!"),
        ("SAM@example.org ", "wrong password!"),
        ("nobody@example.org", PASSWORD),
        ("sam@example.org", ""),
    ],
)
def test_wrong_credentials_are_refused_with_one_message(app, sam, email, password):
    browser = Browser(app.test_client())
    response = browser.sign_in(email, password)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "do not match an active account" in text or "Enter your password" in text
    assert browser.get("/facilitator/").status_code == 302


def test_email_is_matched_without_case_or_spaces(app, sam):
    assert Browser(app.test_client()).sign_in(" Sam@Example.ORG ").status_code == 302


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(app, runner, sam):
    browser = signed_in(app, sam.email)
    assert runner.invoke(args=["users", "deactivate", sam.email]).exit_code == 0
    response = browser.get("/facilitator/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    again = Browser(app.test_client()).sign_in(sam.email)
    assert again.status_code == 200
    assert "do not match an active account" in again.get_data(as_text=True)
    # Their API token stops working too.
    assert sam.get("/api/v1/meetings/nope").status_code == 401


def test_sign_out_ends_the_session(app, sam):
    browser = signed_in(app, sam.email)
    response = browser.post("/sign-out")
    assert response.status_code == 302
    assert browser.get("/facilitator/").status_code == 302


def test_sign_in_starts_a_fresh_session(app, sam):
    """Session fixation: nothing planted in the session before sign-in survives it."""
    browser = Browser(app.test_client())
    browser.get("/sign-in")
    with browser.client.session_transaction() as planted:
        planted["planted"] = "by an attacker"
    before = session_cookie(browser)
    assert browser.post("/sign-in", {"email": sam.email, "password": PASSWORD}).status_code == 302
    after = session_cookie(browser)
    assert before and after and before != after
    with browser.client.session_transaction() as current:
        assert "planted" not in current and "_user_id" in current
    # The cookie from before sign-in does not grant access.
    stale = app.test_client()
    stale.set_cookie("session", before)
    assert stale.get("/facilitator/").status_code == 302


def test_sign_in_lasts_the_browser_session_and_sets_no_remember_me_cookie(app, sam):
    browser = Browser(app.test_client())
    browser.get("/sign-in")
    response = browser.post("/sign-in", {"email": sam.email, "password": PASSWORD})
    assert response.headers.getlist("Set-Cookie") == [response.headers["Set-Cookie"]]
    assert response.headers["Set-Cookie"].startswith("session=")
    assert "Expires" not in response.headers["Set-Cookie"]
    assert browser.get("/facilitator/").status_code == 200
    assert browser.client.get_cookie("remember_token") is None
    assert "Cookie" in browser.get("/facilitator/").headers["Vary"]  # pages read the session
    # An API call reads no session, so nothing tells caches it varies by cookie.
    assert "Vary" not in app.test_client().get("/api/v1/verify/2345-6789-ABCD-EFGH").headers


def test_session_cookie_is_httponly_lax_and_secure_on_https(app, sam):
    browser = Browser(app.test_client())
    browser.get("/sign-in")
    response = browser.post("/sign-in", {"email": sam.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" in cookie  # BASE_URL is https in the tests


def test_a_new_password_ends_other_sign_ins(app, sam):
    browser = signed_in(app, sam.email)
    give_password(app, sam.email, "a different password")
    assert browser.get("/facilitator/").status_code == 302


@pytest.mark.parametrize(
    "url",
    ["/sign-in", "/sign-out", "/facilitator/meetings/new", "/checkin", "/admin/users"],
)
def test_a_form_post_without_csrf_token_is_refused(app, sam, url):
    app.config["WTF_CSRF_ENABLED"] = True  # explicit: this test is about it
    browser = signed_in(app, sam.email)
    response = browser.post(
        url, {"email": sam.email, "password": PASSWORD, "code": "x"}, csrf=False
    )
    assert response.status_code == 400
    assert "expired or came from another site" in response.get_data(as_text=True)


def test_a_form_post_with_a_forged_token_is_refused(app, sam):
    browser = signed_in(app, sam.email)
    response = browser.post("/facilitator/meetings/new", {"csrf_token": "forged", "name": "X"})
    assert response.status_code == 400


def test_the_api_needs_no_csrf_token(app, sam):
    response = sam.post(
        "/api/v1/meetings",
        json={"name": "Circle", "program": "AA", "timezone": "Europe/London"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("/facilitator/tokens", "/facilitator/tokens"),
        ("https://evil.example/", "/facilitator/"),
        ("//evil.example/", "/facilitator/"),
        ("/\\evil.example", "/facilitator/"),
    ],
)
def test_next_only_goes_to_pages_on_this_site(app, sam, target, lands_on):
    browser = Browser(app.test_client())
    browser.get("/sign-in")
    response = browser.post(
        "/sign-in", {"email": sam.email, "password": PASSWORD}, query_string={"next": target}
    )
    assert response.headers["Location"].endswith(lands_on)


def test_pages_need_sign_in_and_the_right_role(app, sam):
    anonymous = app.test_client()
    response = anonymous.get("/facilitator/")
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
    with app.app_context():
        accounts.create_user("olive@example.org", "Olive P.", "officer")
    officer = signed_in(app, "olive@example.org")
    assert officer.get("/facilitator/").status_code == 403
    assert officer.get("/admin/users").status_code == 403
    facilitator = signed_in(app, sam.email)
    assert facilitator.get("/admin/users").status_code == 403


def test_officers_land_on_their_caseload(app):
    with app.app_context():
        accounts.create_user("olive@example.org", "Olive P.", "officer")
    give_password(app, "olive@example.org")
    response = Browser(app.test_client()).sign_in("olive@example.org")
    assert response.headers["Location"].endswith("/officer/")


def test_repeated_wrong_passwords_are_slowed_down(app, sam):
    browser = Browser(app.test_client())
    statuses = [browser.sign_in(sam.email, "wrong password!").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert "Too many sign-in attempts" in browser.sign_in(sam.email, "again").text


def test_passwords_are_stored_as_scrypt_hashes(app, sam):
    with app.app_context():
        stored = db.session.scalar(sa.select(User.password_hash).where(User.email == sam.email))
    assert stored.startswith("scrypt:") and PASSWORD not in stored


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10"), ("sam@example.org", "email"), ("x" * 201, "at most 200")],
)
def test_weak_passwords_are_refused(app, sam, password, message):
    from compliance.services.errors import InvalidInput

    with app.app_context(), pytest.raises(InvalidInput, match=message):
        passwords.set_password_for_email(sam.email, password)


# Admin pages and set-password links.


@pytest.fixture
def admin(app):
    with app.app_context():
        accounts.create_user("ada@example.org", "Ada M.", "admin")
    return signed_in(app, "ada@example.org")


def invite(admin: Browser, email="kim@example.org", role="facilitator"):
    admin.get("/admin/users")
    return admin.post("/admin/users", {"email": email, "display_name": "Kim O.", "role": role})


def link_in(response) -> str:
    text = response.get_data(as_text=True)
    start = text.index("https://verify.example.org/set-password/")
    return text[start : text.index('"', start)].removeprefix("https://verify.example.org")


def test_an_admin_invites_a_facilitator_who_sets_a_password_once(app, admin):
    response = invite(admin)
    assert response.status_code == 200
    link = link_in(response)
    assert "kim@example.org" in admin.get("/admin/users").get_data(as_text=True)
    newcomer = Browser(app.test_client())
    page = newcomer.get(link)
    assert page.status_code == 200 and "kim@example.org" in page.get_data(as_text=True)
    mismatch = newcomer.post(link, {"password": "kim's new password", "confirm": "other one!!"})
    assert mismatch.status_code == 200 and "not the same" in mismatch.get_data(as_text=True)
    done = newcomer.post(link, {"password": "kim's new password", "confirm": "kim's new password"})
    assert done.status_code == 302
    assert newcomer.get(link).status_code == 404  # used once: no second password change
    assert (
        Browser(app.test_client()).sign_in("kim@example.org", "kim's new password").status_code
        == 302
    )


def test_a_set_password_link_expires(app, admin, monkeypatch):
    link = link_in(invite(admin))
    later = time.time() + 73 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert app.test_client().get(link).status_code == 404


def test_a_tampered_set_password_link_is_refused(app, admin):
    link = link_in(invite(admin))
    assert app.test_client().get(link[:-2] + "xx").status_code == 404


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "not-an-email", "display_name": "Kim", "role": "facilitator"}, "email address"),
        ({"email": "kim@example.org", "display_name": "", "role": "facilitator"}, "display name"),
        ({"email": "ada@example.org", "display_name": "Ada", "role": "admin"}, "already exists"),
        ({"email": "kim@example.org", "display_name": "Kim", "role": "root"}, "Not a valid choice"),
    ],
)
def test_invite_errors_are_shown_per_field(admin, form, message):
    admin.get("/admin/users")
    response = admin.post("/admin/users", form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_admin_deactivates_and_reactivates_a_user(app, admin, sam):
    with app.app_context():
        user_id = accounts.user_by_email(sam.email).id
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{user_id}/deactivate").status_code == 302
    assert Browser(app.test_client()).sign_in(sam.email).status_code == 200
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{user_id}/reactivate").status_code == 302
    assert Browser(app.test_client()).sign_in(sam.email).status_code == 302


def test_an_admin_cannot_deactivate_themselves(app, admin):
    with app.app_context():
        user_id = accounts.user_by_email("ada@example.org").id
    admin.get("/admin/users")
    assert admin.post(f"/admin/users/{user_id}/deactivate").status_code == 400


# API tokens page and account commands.


def test_the_tokens_page_shows_a_new_token_once_and_revokes_it(app, sam):
    browser = signed_in(app, sam.email)
    browser.get("/facilitator/tokens")
    created = browser.post("/facilitator/tokens").get_data(as_text=True)
    token = created.split('id="new-token" class="copy code" value="')[1].split('"')[0]
    assert token.startswith("cpt_")
    headers = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/meetings/nope", headers=headers).status_code == 404
    listing = browser.get("/facilitator/tokens").get_data(as_text=True)
    assert token not in listing and token[:12] in listing
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.prefix == token[:12]))
    assert browser.post(f"/facilitator/tokens/{token_id}/revoke").status_code == 302
    assert app.test_client().get("/api/v1/meetings/nope", headers=headers).status_code == 401


def test_one_cannot_revoke_someone_elses_token(app, sam, other_facilitator):
    with app.app_context():
        theirs = db.session.scalar(
            sa.select(ApiToken.id).join(User).where(User.email == other_facilitator.email)
        )
    browser = signed_in(app, sam.email)
    assert browser.post(f"/facilitator/tokens/{theirs}/revoke").status_code == 404


def test_cli_set_password_from_stdin_and_deactivate(app, runner, facilitator):
    result = runner.invoke(
        args=["users", "set-password", facilitator.email, "--password-stdin"],
        input="a password from a script\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        Browser(app.test_client())
        .sign_in(facilitator.email, "a password from a script")
        .status_code
        == 302
    )
    short = runner.invoke(
        args=["users", "set-password", facilitator.email, "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 10" in short.output
    assert runner.invoke(args=["users", "deactivate", "nobody@example.org"]).exit_code != 0


def test_cli_set_password_prompts_twice(app, runner, facilitator):
    result = runner.invoke(
        args=["users", "set-password", facilitator.email],
        input="typed twice, hidden\ntyped twice, hidden\n",
    )
    assert result.exit_code == 0, result.output
    assert "typed twice" not in result.output  # hidden input is not echoed


def test_cli_lists_and_revokes_tokens(app, runner, facilitator):
    listed = runner.invoke(args=["tokens", "list", facilitator.email])
    assert listed.exit_code == 0 and "active" in listed.output
    token_id = listed.output.split()[0]
    assert facilitator.token not in listed.output
    assert runner.invoke(args=["tokens", "revoke", token_id]).exit_code == 0
    assert "revoked" in runner.invoke(args=["tokens", "list", facilitator.email]).output
    assert facilitator.get("/api/v1/meetings/nope").status_code == 401
    assert runner.invoke(args=["tokens", "revoke", "no-such-id"]).exit_code != 0
