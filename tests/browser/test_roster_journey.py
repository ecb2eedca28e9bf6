"""On a 390-px phone: a weekly meeting over two weeks, an attendee whose connection drops, and
the facilitator correcting the roster before signing (the app's clock, no sleeps)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, fits_the_width
from tests.browser.test_facilitator_journey import sign_in

pytestmark = pytest.mark.browser

CHICAGO = ZoneInfo("America/Chicago")


def chicago(day: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 3, day, hour, minute, tzinfo=CHICAGO)


def test_a_weekly_meeting_a_dropped_attendee_and_roster_fixes_on_a_phone(live, chromium, shots):
    live.clock.set(chicago(3, "09:00"))  # a Monday
    facilitator = chromium.new_context(**PHONE).new_page()
    sign_in(facilitator, live.url)
    facilitator.get_by_role("link", name="New meeting").click()
    facilitator.get_by_label("Meeting name").fill("Tuesday Circle")
    facilitator.get_by_label("Program").select_option("SMART Recovery")
    facilitator.get_by_label("Platform").select_option("Zoom")
    facilitator.get_by_label("Time zone").fill("America/Chicago")
    facilitator.get_by_label("Usually starts at (optional)").fill("19:00")
    facilitator.get_by_label("Usually lasts, in minutes (optional)").fill("60")
    facilitator.get_by_label("Repeats every week on").select_option("Tuesday")
    facilitator.get_by_role("button", name="Create meeting").click()
    expect(facilitator.get_by_role("heading", name="Coming weeks")).to_be_visible()
    assert fits_the_width(facilitator)
    shots(facilitator, "50-weekly-meeting-phone")
    facilitator.locator("#weekly a").first.click()
    code = facilitator.locator("#checkin-link").input_value().rsplit("/", 1)[1]

    # The attendee checks in, drops, checks in again, and checks out once.
    attendee = chromium.new_context(**PHONE).new_page()
    live.clock.set(chicago(4, "18:58"))
    attendee.goto(f"{live.url}/checkin/{code}")
    attendee.get_by_label("Your name, as it should be printed on your slip").fill("Quinn, Pat")
    attendee.get_by_role("button", name="Check in", exact=True).click()
    expect(attendee.get_by_text("You're checked in")).to_be_visible()
    live.clock.set(chicago(4, "19:20"))
    attendee.get_by_role("button", name="Check in again").click()
    facilitator.reload()
    facilitator.get_by_role("button", name="Reveal").click()
    checkout_code = facilitator.locator("#checkout .big-code").inner_text().replace("-", "").strip()
    live.clock.set(chicago(4, "19:59"))
    attendee.get_by_label("Check-out code").fill(checkout_code)
    attendee.get_by_role("button", name="Check out", exact=True).click()
    expect(attendee.get_by_text("You're checked out")).to_be_visible()
    expect(attendee.get_by_text("Your earlier check-in at 18:58")).to_be_visible()
    assert fits_the_width(attendee)
    shots(attendee, "51-checked-out-after-a-drop-phone")

    # The facilitator fixes the name Zoom-style, then removes the empty earlier check-in.
    live.clock.set(chicago(4, "20:05"))
    facilitator.reload()
    person = facilitator.locator("li.person").first
    person.locator("summary").first.click()
    person.get_by_label("Name", exact=True).fill("Pat Quinn")
    person.get_by_role("button", name="Save name").click()
    expect(facilitator.get_by_text("The slip will read “Pat Quinn”")).to_be_visible()
    person = facilitator.locator("li.person").first
    person.locator("summary").first.click()
    person.locator("details.remove summary").first.click()
    person.get_by_role("button", name="Remove this time").first.click()
    expect(facilitator.get_by_text("Time removed")).to_be_visible()
    # Pat said they dropped at 19:20: the facilitator adds that time, with the reason.
    person = facilitator.locator("li.person").first
    person.locator("summary").first.click()
    person.get_by_label("From").fill("19:00")
    person.get_by_label("To").fill("19:20")
    person.get_by_label("Reason", exact=True).fill("Dropped at 19:20, told me in chat")
    person.get_by_role("button", name="Add time").click()
    expect(facilitator.get_by_text("Time added.")).to_be_visible()
    assert fits_the_width(facilitator)
    shots(facilitator, "52-roster-fixed-phone")
    facilitator.get_by_role("link", name="Sign session…").click()
    facilitator.get_by_role("button", name="Sign").last.click()
    expect(facilitator.get_by_text("Session signed: 1 slip issued")).to_be_visible()
    expect(facilitator.get_by_text("Pat Quinn").first).to_be_visible()

    # A week later the next Tuesday's session is there on its own, with new codes.
    live.clock.set(chicago(10, "09:00"))
    facilitator.goto(f"{live.url}/facilitator/")
    expect(facilitator.get_by_text("Tuesday 11 March 2025")).to_be_visible()
    facilitator.get_by_role("link", name="Tuesday Circle").first.click()  # its open session
    expect(facilitator.get_by_text("Tuesday 11 March 2025")).to_be_visible()
    next_code = facilitator.locator("#checkin-link").input_value().rsplit("/", 1)[1]
    assert next_code != code
    shots(facilitator, "53-next-week-session-phone")


ANDREWS_BY_JOIN = (
    "Name (Original Name)\tUser Email\tJoin Time\tLeave Time\tDuration (Minutes)\tGuest\n"
    "Andrew\t\t3/4/2025 7:00:00 PM\t3/4/2025 7:30:00 PM\t30\tYes\n"
    "Andrew\t\t3/4/2025 7:10:00 PM\t3/4/2025 8:00:00 PM\t50\tYes\n"
)


def test_the_import_card_shows_what_it_reads_and_namesakes_are_flagged(
    live, chromium, shots, tmp_path
):
    live.clock.set(chicago(4, "20:05"))
    page = chromium.new_context(**PHONE).new_page()
    sign_in(page, live.url)
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Meeting name").fill("Tuesday Circle")
    page.get_by_label("Program").select_option("SMART Recovery")
    page.get_by_label("Platform").select_option("Zoom")
    page.get_by_label("Time zone").fill("America/Chicago")
    page.get_by_role("button", name="Create meeting").click()
    page.get_by_label("Date").fill("2025-03-04")
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Length in minutes").fill("60")
    page.get_by_role("button", name="Open session").click()
    page.get_by_text("Which files this reads").click()
    expect(page.get_by_text("Microsoft Teams attendance list (2020–2022)")).to_be_visible()
    assert fits_the_width(page)
    shots(page, "60-import-card-shapes-phone")
    report = tmp_path / "zoom-resaved.txt"
    report.write_bytes(ANDREWS_BY_JOIN.encode("utf-16"))  # re-saved by Excel: UTF-16, tabs
    page.get_by_label("Participant report (Zoom, Teams or Google Meet export)").set_input_files(
        str(report)
    )
    page.get_by_role("button", name="Import report").click()
    expect(page.get_by_text("Same name as someone else here").first).to_be_visible()
    assert page.get_by_text("Same name as someone else here").count() == 2
    assert fits_the_width(page)
    shots(page, "61-namesakes-flagged-phone")
