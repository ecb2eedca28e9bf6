"""A facilitator runs a session in Chromium while an attendee checks in and out on a phone."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import FACILITATOR, PHONE, fits_the_width

pytestmark = pytest.mark.browser

CHICAGO = ZoneInfo("America/Chicago")
ZOOM_REPORT = Path(__file__).resolve().parents[1] / "data" / "reports" / "zoom-participants.csv"


def chicago(clock: str) -> datetime:
    """Return a moment on the sample report's date, 4 March 2025, in Chicago."""
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 3, 4, hour, minute, tzinfo=CHICAGO)


def sign_in(page, base_url: str) -> None:
    email, _, password = FACILITATOR
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My meetings")).to_be_visible()


def test_a_facilitator_runs_a_session_from_check_in_to_signing(live, chromium, shots):
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    facilitator = desk.new_page()
    facilitator.goto(f"{live.url}/facilitator/")
    expect(facilitator.get_by_text("Sign in to see that page.")).to_be_visible()
    shots(facilitator, "00-sign-in")
    sign_in(facilitator, live.url)
    shots(facilitator, "01-facilitator-dashboard-empty")

    # A meeting, with its usual slot.
    facilitator.get_by_role("link", name="New meeting").click()
    facilitator.get_by_label("Meeting name").fill("Tuesday Evening Recovery Circle")
    facilitator.get_by_label("Program").select_option("SMART Recovery")
    facilitator.get_by_label("Platform").select_option("Zoom")
    facilitator.get_by_label("Time zone").fill("America/Chicago")
    facilitator.get_by_label("Usually starts at (optional)").fill("19:00")
    facilitator.get_by_label("Usually lasts, in minutes (optional)").fill("60")
    shots(facilitator, "02-facilitator-new-meeting")
    facilitator.get_by_role("button", name="Create meeting").click()
    expect(
        facilitator.get_by_text("Meeting “Tuesday Evening Recovery Circle” created")
    ).to_be_visible()

    # A session on the sample report's date; start and length come pre-filled.
    expect(facilitator.get_by_label("Starts at")).to_have_value("19:00")
    expect(facilitator.get_by_label("Length in minutes")).to_have_value("60")
    facilitator.get_by_label("Date").fill("2025-03-04")
    shots(facilitator, "03-facilitator-meeting")
    facilitator.get_by_role("button", name="Open session").click()
    expect(facilitator.get_by_text("Tuesday 4 March 2025")).to_be_visible()
    expect(facilitator.locator("svg.qr")).to_be_visible()
    checkin_link = facilitator.locator("#checkin-link").input_value()
    assert re.fullmatch(rf"{live.url}/checkin/[2-9A-Z]{{16}}", checkin_link)
    shots(facilitator, "04-facilitator-session-open")

    # The attendee, on a phone, follows the link before the meeting starts.
    live.clock.set(chicago("18:58"))
    phone = chromium.new_context(**PHONE)
    attendee = phone.new_page()
    attendee.goto(checkin_link)
    attendee.get_by_label("Your name, as it should be printed on your slip").fill("Dana Kowalski")
    attendee.get_by_label("Email (optional)").fill("dana.k@example.net")
    assert fits_the_width(attendee)
    shots(attendee, "05-attendee-checkin-form-phone")
    attendee.get_by_role("button", name="Check in").click()
    expect(attendee.get_by_text("You're checked in")).to_be_visible()
    expect(attendee.get_by_text("since 18:58")).to_be_visible()
    assert fits_the_width(attendee)
    shots(attendee, "06-attendee-checked-in-phone")

    facilitator.reload()
    dana = facilitator.locator("li.person", has_text="Dana Kowalski")
    expect(dana.get_by_text("Checked in, not checked out")).to_be_visible()

    # Near the end the facilitator reveals the check-out code; the attendee types it.
    live.clock.set(chicago("19:58"))
    facilitator.get_by_role("button", name="Reveal check-out code").click()
    checkout_code = facilitator.locator("#checkout .big-code").inner_text()
    shots(facilitator, "07-facilitator-checkout-revealed")
    attendee.get_by_label("Check-out code").fill(checkout_code.lower())
    attendee.get_by_role("button", name="Check out").click()
    expect(attendee.get_by_text("You're checked out")).to_be_visible()
    shots(attendee, "08-attendee-checked-out-phone")

    # After the meeting: import Zoom's participant report, review, sign.
    live.clock.set(chicago("20:05"))
    facilitator.reload()
    facilitator.get_by_label("Participant report").set_input_files(str(ZOOM_REPORT))
    facilitator.get_by_role("button", name="Import report").click()
    expect(facilitator.get_by_text("Imported a zoom report: 5 rows, 4 people.")).to_be_visible()
    dana = facilitator.locator("li.person", has_text="Dana Kowalski")
    expect(dana.get_by_text("Gets a slip")).to_be_visible()
    expect(dana.get_by_text("from checkin, zoom")).to_be_visible()
    expect(
        facilitator.locator("li.person", has_text="Sam R.").get_by_text("Host: no slip")
    ).to_be_visible()
    jose = facilitator.locator("li.person", has_text="iPhone de José")
    expect(jose.get_by_text("Too short for a slip")).to_be_visible()
    jose.get_by_text("Times and changes").click()
    shots(facilitator, "09-facilitator-roster-after-import")

    facilitator.get_by_role("link", name="Sign session…").click()
    expect(facilitator.get_by_role("button", name="Sign and issue 2 slips")).to_be_visible()
    shots(facilitator, "10-facilitator-sign-confirm")
    facilitator.get_by_role("button", name="Sign and issue 2 slips").click()
    expect(facilitator.get_by_text("Session signed: 2 slips issued.")).to_be_visible()
    records = facilitator.locator("#records li.row")
    expect(records).to_have_count(2)
    expect(records.filter(has_text="Dana Kowalski")).to_contain_text("60 min")
    shots(facilitator, "11-facilitator-signed-records")

    # Once signed, the check-in link says so instead of taking check-ins.
    attendee.goto(checkin_link)
    expect(attendee.get_by_text("This meeting has been signed already")).to_be_visible()
    desk.close()
    phone.close()


def test_the_session_page_fits_a_phone_and_works_without_script(live, chromium, shots):
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live.url)
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Meeting name").fill("Morning Peer Support")
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_role("button", name="Create meeting").click()
    page.get_by_label("Date").fill("2025-03-04")
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_role("button", name="Open session").click()
    expect(page.locator("svg.qr")).to_be_visible()
    assert fits_the_width(page)
    shots(page, "12-facilitator-session-phone-no-js")
    context.close()
