"""An attendee checks in and out on a phone-sized screen using only the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from compliance.extensions import db
from compliance.models import MeetingSession
from compliance.services import meetings
from compliance.services.accounts import user_by_email
from compliance.services.checkin import reveal_checkout_code
from tests.browser.conftest import FACILITATOR, PHONE, fits_the_width

pytestmark = pytest.mark.browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on 4 March


@dataclass(frozen=True)
class Codes:
    id: str
    checkin_code: str
    checkout_code: str


def open_a_session(app) -> Codes:
    with app.app_context():
        sam = user_by_email(FACILITATOR[0])
        meeting = meetings.create_meeting(sam, "Tuesday Circle", "AA", "America/Chicago")
        session = meetings.open_session(sam, meeting.id, START, START + timedelta(hours=1))
        return Codes(session.id, session.checkin_code, session.checkout_code)


def focused(page) -> str:
    """Return the focused element's id, or its tag and text for buttons."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.id || (e.tagName + ':' + e.textContent.trim()); })()"
    )


def test_check_in_and_out_with_only_tab_and_enter(live, chromium, shots):
    session = open_a_session(live.app)
    live.clock.set(START - timedelta(minutes=5))
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/checkin")

    # The code field has focus on arrival; typing the code and Enter moves on. (The browser
    # applies autofocus after the page shows, so wait for it rather than read it at once.)
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(session.checkin_code.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check in")).to_be_visible()

    expect(page.locator("#name")).to_be_focused()
    page.keyboard.type("Robin Quartey")
    page.keyboard.press("Tab")
    assert focused(page) == "email"
    page.keyboard.type("robin@example.net")
    page.keyboard.press("Tab")
    assert focused(page) == "BUTTON:Check in"
    shots(page, "13-keyboard-focus-on-check-in-button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You're checked in")).to_be_visible()
    assert fits_the_width(page)

    # Check out: Tab to the check-out code field, type, Enter.
    with live.app.app_context():
        reveal_checkout_code(user_by_email(FACILITATOR[0]), session.id)
    live.clock.set(START + timedelta(minutes=58))
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page) == "code":
            break
    assert focused(page) == "code"
    page.keyboard.type(session.checkout_code)
    page.keyboard.press("Enter")
    expect(page.get_by_text("You're checked out")).to_be_visible()
    shots(page, "14-keyboard-checked-out-phone")
    with live.app.app_context():
        stored = db.session.get(MeetingSession, session.id)
        (person,) = stored.participants
        (interval,) = person.intervals
        assert interval.joined_at == START - timedelta(minutes=5)
        assert interval.left_at == START + timedelta(minutes=58)
    context.close()


def test_a_wrong_code_shows_its_error_by_the_field(live, chromium, shots):
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live.url}/checkin")
    page.keyboard.type("2222-3333-4444-5555")
    page.keyboard.press("Enter")
    error = page.locator("#code-error")
    expect(error).to_have_text(
        "No meeting has this code. Check it with your facilitator and try again."
    )
    expect(page.locator("#code")).to_have_attribute("aria-describedby", "code-hint code-error")
    shots(page, "15-wrong-code-phone")
    context.close()
