"""Signed-cookie sessions that cost nothing on requests which send no session cookie."""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, opened without building a serializer when no cookie came.

    Flask builds the itsdangerous serializer (which test-serializes an empty dict) before it
    even looks for the cookie. Officers' and API clients' verify requests carry no session
    cookie, and on that hot path the serializer was a tenth of Flask's own per-request cost.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
