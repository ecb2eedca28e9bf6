"""Real Chromium against a real server: the app on a temporary SQLite database, in a thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from compliance import create_app
from compliance.extensions import db
from compliance.services import accounts, key_rotation, passwords

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FACILITATOR = ("sam@example.org", "Sam R.", "a long enough password")
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def require_chromium() -> str:
    """Return Chromium's path; skip without it, but fail in CI (same rule as the PDF tools)."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM}"
        if running_in_ci():
            pytest.fail(f"{message}, and CI must not skip browser tests")
        pytest.skip(message)
    return CHROMIUM


class Clock:
    """What the service takes as "now" for check-ins; the journeys move it along."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@dataclass
class LiveServer:
    app: Flask
    url: str
    clock: Clock


@pytest.fixture
def live(tmp_path) -> Iterator[LiveServer]:
    clock = Clock()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "browser.sqlite3"),
            "KEYS_DIR": str(tmp_path / "keys"),
            "BASE_URL": "http://127.0.0.1",
            "CLOCK": clock,
            "ROSTER_REFRESH_SECONDS": 1,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    with app.app_context():
        upgrade()
        key_rotation.ensure_signing_key(app.config["KEYS_DIR"])
        db.session.commit()
        email, name, password = FACILITATOR
        accounts.create_user(email, name, "facilitator")
        passwords.set_password_for_email(email, password)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app=app, url=url, clock=clock)
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def shots():
    """Return a function that saves a full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


def fits_the_width(page) -> bool:
    """Return whether the page needs no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


class FacilitatorApi:
    """The JSON API over real HTTP, as the facilitator (Sam R.) with a bearer token."""

    def __init__(self, request, base_url: str) -> None:
        self.request = request
        self.base_url = base_url

    def post(self, path: str, body: dict | None = None, status: int = 200) -> dict:
        response = self.request.post(self.base_url + path, data=body or {})
        assert response.status == status, f"POST {path}: {response.status} {response.text()}"
        return response.json()

    def get(self, path: str) -> dict:
        response = self.request.get(self.base_url + path)
        assert response.ok, f"GET {path}: {response.status} {response.text()}"
        return response.json()


@pytest.fixture
def facilitator_api(live, chromium) -> Iterator[FacilitatorApi]:
    """Return the facilitator's API client (its own browser context, so no shared cookies)."""
    with live.app.app_context():
        token = accounts.create_api_token(FACILITATOR[0])
    context = chromium.new_context(extra_http_headers={"Authorization": f"Bearer {token}"})
    yield FacilitatorApi(context.request, live.url)
    context.close()


class ConsoleWatch:
    """Console errors and page errors from every context it watches; CSP violations among them."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, context):
        context.on("console", self._console)
        context.on("weberror", lambda error: self.errors.append(f"page error: {error.error}"))
        return context

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.errors if "Content Security Policy" in text]


@pytest.fixture
def console() -> ConsoleWatch:
    """Return a watcher: console.watch(context), then assert not console.csp_violations."""
    return ConsoleWatch()
