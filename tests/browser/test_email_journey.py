"""An attendee on a phone who gives an email: the link arrives, proves the address, the slip
follows by mail, and a lost link is found again, all through a real SMTP server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from compliance.services import mail_delivery, meetings
from compliance.services.accounts import user_by_email
from tests.browser.conftest import FACILITATOR, PHONE, fits_the_width
from tests.support.smtp import SmtpServer, pdf_attachments, text_of

pytestmark = pytest.mark.browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on Tuesday 4 March


@pytest.fixture
def smtp(live):
    server = SmtpServer()
    server.start()
    live.app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


def deliver(live) -> None:
    with live.app.app_context():
        mail_delivery.deliver_due()


def link_in(message, base: str) -> str:
    return re.search(rf"{re.escape(base)}/me/[^\s]+", text_of(message)).group(0)


def test_the_page_link_arrives_by_email_and_the_slip_follows(
    live, chromium, facilitator_api, smtp, shots
):
    with live.app.app_context():
        sam = user_by_email(FACILITATOR[0])
        meeting = meetings.create_meeting(sam, "Tuesday Circle", "AA", "America/Chicago")
        session = meetings.open_session(sam, meeting.id, START, START + timedelta(hours=1))
        session_id, code = session.id, session.checkin_code
    live.clock.set(START)
    phone = chromium.new_context(**PHONE)
    page = phone.new_page()
    page.goto(f"{live.url}/checkin/{code}")
    expect(page.get_by_text("We email you the link to your attendance page")).to_be_visible()
    page.get_by_label("Your name, as it should be printed on your slip").fill("Dana Kowalski")
    page.get_by_label("Email (optional)").fill("dana@example.net")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("You're checked in")).to_be_visible()

    deliver(live)
    (welcome,) = smtp.inbox.to("dana@example.net")
    page.goto(link_in(welcome, live.url))
    expect(page.get_by_text("your email address is confirmed")).to_be_visible()
    expect(page.get_by_text("Confirmed email: dana@example.net")).to_be_visible()
    assert fits_the_width(page)
    shots(page, "40-email-confirmed-attendance-page")
    my_page = page.url

    facilitator_api.post(
        f"/api/v1/sessions/{session_id}/attendance",
        {"name": "Dana Kowalski", "joined_at": "2025-03-04T19:00:00-06:00",
         "left_at": "2025-03-04T20:00:00-06:00"},
        status=201,
    )  # fmt: skip
    live.clock.set(START + timedelta(minutes=61))
    (record,) = facilitator_api.post(f"/api/v1/sessions/{session_id}/finalize")["records"]
    deliver(live)
    slip_mail = smtp.inbox.to("dana@example.net")[-1]
    assert pdf_attachments(slip_mail) and record["code"] in text_of(slip_mail)
    page.goto(link_in(slip_mail, live.url))
    assert page.url == my_page
    expect(page.locator("li.record-row")).to_contain_text("Dana Kowalski")

    # The link is lost: the page is found again by email, on another device.
    other = chromium.new_context(**PHONE).new_page()
    other.goto(f"{live.url}/me/recover")
    other.get_by_label("Email").fill("dana@example.net")
    shots(other, "41-email-recover-form")
    other.get_by_role("button", name="Email me the link").click()
    expect(other.get_by_text("Check your email")).to_be_visible()
    deliver(live)
    other.goto(link_in(smtp.inbox.to("dana@example.net")[-1], live.url))
    expect(other.locator("li.record-row")).to_have_count(1)
