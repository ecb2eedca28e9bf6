"""Fixation, in real Chromium: a cross-site redirect to someone's page ties nothing to the
browser; the next check-in in it gets its own page and its own slip."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from compliance.services import meetings
from compliance.services.accounts import user_by_email
from tests.browser.conftest import FACILITATOR, PHONE

pytestmark = pytest.mark.browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on Tuesday 4 March


@pytest.fixture
def evil_site() -> Iterator[tuple[str, dict]]:
    """A site of another origin ("localhost", not 127.0.0.1) that redirects to target["url"]."""
    target: dict = {}

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server interface)
            self.send_response(302)
            self.send_header("Location", target["url"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}/", target
    server.shutdown()
    thread.join(timeout=5)


def check_in(page, url: str, code: str, name: str, email: str = "") -> str:
    """Check in on the page; return the attendance-page link it shows."""
    page.goto(f"{url}/checkin/{code}")
    page.get_by_label("Your name, as it should be printed on your slip").fill(name)
    page.get_by_label("Email (optional)").fill(email)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("You're checked in")).to_be_visible()
    return page.locator("input.share-url").input_value()


def test_a_cross_site_redirect_to_someones_page_does_not_take_the_next_check_in(
    live, chromium, facilitator_api, evil_site, shots
):
    with live.app.app_context():
        sam = user_by_email(FACILITATOR[0])
        meeting = meetings.create_meeting(
            sam, "Tuesday Circle", "SMART Recovery", "America/Chicago"
        )
        session = meetings.open_session(sam, meeting.id, START, START + timedelta(hours=1))
        session_id, code = session.id, session.checkin_code
    live.clock.set(START)

    mallory = chromium.new_context(**PHONE).new_page()
    mallorys_page = check_in(mallory, live.url, code, "Mallory Mask")

    evil_url, target = evil_site
    target["url"] = mallorys_page
    victim_context = chromium.new_context(**PHONE)
    victim = victim_context.new_page()
    victim.goto(evil_url)  # lands on Mallory's page, as from a link in a message
    assert victim.url == mallorys_page
    expect(victim.get_by_text("Mallory Mask")).to_be_visible()

    victims_page = check_in(victim, live.url, code, "Vera Victim", "vera@example.net")
    assert victims_page != mallorys_page
    shots(victim, "13-identity-victim-checked-in-own-page")

    for name in ("Vera Victim", "Mallory Mask"):
        facilitator_api.post(
            f"/api/v1/sessions/{session_id}/attendance",
            {"name": name, "joined_at": "2025-03-04T19:00:00-06:00",
             "left_at": "2025-03-04T20:00:00-06:00"},
            status=201,
        )  # fmt: skip
    live.clock.set(START + timedelta(minutes=61))
    records = {
        r["name"]: r
        for r in facilitator_api.post(f"/api/v1/sessions/{session_id}/finalize")["records"]
    }
    assert set(records) == {"Vera Victim", "Mallory Mask"}

    mallory.goto(mallorys_page)
    expect(mallory.locator("li.record-row")).to_have_count(1)
    expect(mallory.locator("li.record-row")).to_contain_text("Mallory Mask")
    expect(mallory.get_by_text("Vera Victim")).to_have_count(0)

    victim.goto(victims_page)
    expect(victim.locator("li.record-row")).to_have_count(1)
    expect(victim.locator("li.record-row")).to_contain_text("Vera Victim")
    verdict = victim.request.get(f"{live.url}/api/v1/verify/{records['Vera Victim']['token']}")
    assert verdict.json()["record"]["name"] == "Vera Victim"
    shots(victim, "14-identity-victim-page-own-slip")
    victim_context.close()
