"""Helpers for driving the HTML pages through the test client: sign in, post forms with CSRF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.services import passwords

PASSWORD = "correct horse battery"  # noqa: S105 (a test password)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def give_password(app, email: str, password: str = PASSWORD) -> None:
    with app.app_context():
        passwords.set_password_for_email(email, password)


@dataclass
class Browser:
    """A test client that remembers the CSRF token of the last page it saw, like a browser."""

    client: object
    token: str | None = None

    def get(self, url, **kw):
        response = self.client.get(url, **kw)
        text = response.get_data(as_text=True)
        if _CSRF.search(text):
            self.token = csrf_from(text)
        return response

    def post(self, url, data=None, *, csrf=True, **kw):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/checkin")
            data.setdefault("csrf_token", self.token)
        response = self.client.post(url, data=data, **kw)
        text = response.get_data(as_text=True)
        if _CSRF.search(text):
            self.token = csrf_from(text)
        return response

    def sign_in(self, email: str, password: str = PASSWORD):
        self.get("/sign-in")
        return self.post("/sign-in", {"email": email, "password": password})


def signed_in(app, email: str, password: str = PASSWORD) -> Browser:
    """Return a browser signed in as this (existing) user, giving them a password first."""
    give_password(app, email, password)
    browser = Browser(app.test_client())
    response = browser.sign_in(email, password)
    assert response.status_code == 302, response.get_data(as_text=True)
    browser.get(response.headers["Location"])
    return browser
