"""An officer opens a case; the client links it from their phone; a signed session moves the
progress; the officer downloads the compliance report, whose QR code verifies it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from compliance.services import accounts, meetings, passwords
from compliance.services.accounts import user_by_email
from compliance.services.checkin import reveal_checkout_code
from tests.browser.conftest import ARTIFACTS, FACILITATOR, PHONE, fits_the_width
from tests.support.pdf_tools import decode_qr_texts, pdf_text, qpdf_check, render_pages

pytestmark = pytest.mark.browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on Tuesday 4 March
OFFICER = ("olive@example.org", "Olive O.", "another long password")
LABEL = "DOCKET 25-CR-0193"


def open_a_session(app) -> dict:
    with app.app_context():
        sam = user_by_email(FACILITATOR[0])
        meeting = meetings.create_meeting(
            sam, "Tuesday Evening Recovery Circle", "SMART Recovery", "America/Chicago"
        )
        session = meetings.open_session(sam, meeting.id, START, START + timedelta(hours=1))
        return {"id": session.id, "in": session.checkin_code, "out": session.checkout_code}


def attend_from_the_phone(live, page, codes) -> str:
    """Check in and out of the session on the phone; return the attendance page's link."""
    live.clock.set(START - timedelta(minutes=3))
    page.goto(f"{live.url}/checkin/{codes['in']}")
    page.get_by_label("Your name, as it should be printed on your slip").fill("Dana Kowalski")
    page.get_by_role("button", name="Check in", exact=True).click()
    my_page = page.locator("input.share-url").input_value()
    with live.app.app_context():
        reveal_checkout_code(user_by_email(FACILITATOR[0]), codes["id"])
    live.clock.set(START + timedelta(minutes=59))
    page.get_by_label("Check-out code").fill(codes["out"])
    page.get_by_role("button", name="Check out", exact=True).click()
    expect(page.get_by_text("You're checked out")).to_be_visible()
    return my_page


def test_an_officer_follows_a_case_the_client_linked(
    live, chromium, shots, facilitator_api, console, tmp_path
):
    with live.app.app_context():
        email, name, password = OFFICER
        accounts.create_user(email, name, "officer")
        passwords.set_password_for_email(email, password)
    live.clock.set(START - timedelta(hours=2))

    # The officer opens a case: two meetings a week for two weeks from Monday 3 March.
    desk = console.watch(chromium.new_context(viewport={"width": 1100, "height": 900}))
    officer = desk.new_page()
    officer.goto(f"{live.url}/sign-in")
    officer.get_by_label("Email").fill(OFFICER[0])
    officer.get_by_label("Password").fill(OFFICER[2])
    officer.get_by_role("button", name="Sign in").click()
    expect(officer.get_by_role("heading", name="My cases")).to_be_visible()
    form = officer.locator("#new-case")
    form.get_by_label("Your reference").fill(LABEL)
    form.get_by_label("Meetings", exact=True).fill("2")
    form.get_by_label("Requirement").select_option("per_week")
    form.get_by_label("Days (or weeks)").fill("2")
    form.get_by_label("Starts on").fill("2025-03-03")
    form.get_by_role("button", name="Create case").click()
    expect(officer.locator(".badge-case-awaiting_consent")).to_be_visible()
    code = officer.locator("#enrolment-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    shots(officer, "60-officer-case-awaiting-consent")

    # The client, on a phone, attends a meeting and links their page with the code.
    codes = open_a_session(live.app)
    phone = console.watch(chromium.new_context(**PHONE))
    page = phone.new_page()
    my_page = attend_from_the_phone(live, page, codes)
    live.clock.set(START + timedelta(minutes=70))
    page.goto(my_page)
    page.get_by_label("Case code from your officer").fill("not the code")
    page.get_by_role("button", name="Share my progress").click()
    expect(page.get_by_text("No case has this code")).to_be_visible()
    page.get_by_label("Case code from your officer").fill(code.lower())
    page.get_by_role("button", name="Share my progress").click()
    cases = page.locator("#cases")
    expect(cases.get_by_text("Olive O.")).to_be_visible()
    expect(cases).to_contain_text("0 of 4 meetings")
    assert LABEL not in page.content()
    assert fits_the_width(page)
    shots(page, "61-attendee-case-linked-phone")

    # Before the session is signed, the officer sees the consent but nothing counted.
    officer.reload()
    expect(officer.locator(".badge-case-on_track")).to_be_visible()
    expect(officer.get_by_text("0 of 4 meetings")).to_be_visible()

    # The facilitator signs; the officer's progress moves.
    records = facilitator_api.post(f"/api/v1/sessions/{codes['id']}/finalize")["records"]
    (record,) = records
    officer.reload()
    expect(officer.get_by_text("1 of 4 meetings")).to_be_visible()
    expect(officer.locator("#records tbody tr")).to_have_count(1)
    expect(officer.locator("#records")).to_contain_text(record["code"])
    expect(officer.locator("svg.week-chart rect")).to_have_count(2)
    shots(officer, "62-officer-case-progress")
    officer.get_by_role("link", name="My cases").first.click()
    expect(officer.locator("table.caseload")).to_contain_text("1 / 4")
    shots(officer, "63-officer-dashboard")
    # Officers check cases between hearings, on a phone too: nothing scrolls sideways.
    officer.set_viewport_size(PHONE["viewport"])
    shots(officer, "63-officer-dashboard-phone")
    assert fits_the_width(officer)
    officer.get_by_role("link", name=LABEL).click()
    expect(officer.locator("svg.week-chart")).to_be_visible()
    shots(officer, "62-officer-case-progress-phone")
    assert fits_the_width(officer)
    officer.set_viewport_size({"width": 1100, "height": 900})

    page.reload()
    expect(page.locator("#cases")).to_contain_text("1 of 4 meetings")
    shots(page, "64-attendee-case-progress-phone")

    # The report: signed, its QR code read from paper verifies it on this server.
    officer.goto(f"{officer.url.split('/officer')[0]}/officer/")
    officer.get_by_role("link", name=LABEL).click()
    report_url = officer.get_by_role("link", name="Compliance report (PDF)").get_attribute("href")
    report = officer.request.get(live.url + report_url)
    assert report.ok and report.headers["content-type"] == "application/pdf"
    pdf = report.body()
    qpdf_check(pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "COMPLIANCE REPORT" in text and record["code"] in text
    assert "2 meetings a week for 2 weeks" in text and LABEL not in text
    (ARTIFACTS / "65-case-report.pdf").write_bytes(pdf)
    (first, *_) = render_pages(pdf, dpi=150, directory=tmp_path)
    (qr_url,) = decode_qr_texts(first)
    assert qr_url.startswith(f"{live.url}/v/")
    officer.goto(qr_url)
    expect(officer.locator(".verdict-label")).to_have_text("Valid")
    expect(officer.get_by_text("The compliance report, exactly as issued")).to_be_visible()
    expect(officer.get_by_text("This compliance report was issued by this service")).to_be_visible()
    shots(officer, "66-report-verified")

    assert console.csp_violations == []
    desk.close()
    phone.close()
