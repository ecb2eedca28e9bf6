"""An officer checks one slip every way they can, on a phone: QR, typed code, uploaded PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, fits_the_width
from tests.support.pdf_tools import decode_qr_texts, render_pages

pytestmark = pytest.mark.browser

MEETING = {"name": "Thursday Noon LifeRing", "program": "LifeRing", "timezone": "America/Denver"}
WINDOW = {"starts_at": "2025-03-06T12:00:00-07:00", "ends_at": "2025-03-06T13:00:00-07:00"}


def issue_a_slip(api) -> dict:
    """Sign a session where Dana stayed the whole hour; return her record."""
    meeting = api.post("/api/v1/meetings", MEETING, status=201)
    session = api.post(f"/api/v1/meetings/{meeting['id']}/sessions", WINDOW, status=201)
    api.post(
        f"/api/v1/sessions/{session['id']}/attendance",
        {
            "name": "Dana Kowalski",
            "email": "dana.k@example.net",
            "joined_at": "2025-03-06T11:58:00-07:00",
            "left_at": "2025-03-06T13:01:00-07:00",
        },
        status=201,
    )
    (record,) = api.post(f"/api/v1/sessions/{session['id']}/finalize")["records"]
    return record


def verdict_reads(page, label: str) -> None:
    expect(page.locator(".verdict-label")).to_have_text(label)


def test_an_officer_verifies_a_slip_by_qr_code_and_upload(
    live, chromium, shots, facilitator_api, console, tmp_path
):
    record = issue_a_slip(facilitator_api)
    slip = facilitator_api.request.get(record["slip_url"])
    assert slip.ok and slip.headers["content-type"] == "application/pdf"
    pdf = slip.body()
    original = tmp_path / "slip.pdf"
    original.write_bytes(pdf)

    # The printed QR code, read from a 150 dpi rendering, points at this very server.
    (tmp_path / "pages").mkdir()
    (first_page, *_) = render_pages(pdf, dpi=150, directory=tmp_path / "pages")
    (qr_url,) = decode_qr_texts(first_page)
    assert qr_url == f"{live.url}/v/{record['token']}"

    officer = console.watch(chromium.new_context(**PHONE))
    page = officer.new_page()
    page.goto(qr_url)
    verdict_reads(page, "Valid")
    expect(page.get_by_text("Dana Kowalski")).to_be_visible()
    expect(page.get_by_text("Thursday Noon LifeRing")).to_be_visible()
    expect(page.get_by_text("dana.k@example.net")).to_have_count(0)
    assert fits_the_width(page)
    shots(page, "20-officer-qr-valid-phone")

    # Typing the code, in lower case with spaces, as people do.
    page.goto(f"{live.url}/verify")
    page.get_by_label("Code printed on the slip").fill(record["code"].lower().replace("-", " "))
    page.get_by_role("button", name="Check code").click()
    verdict_reads(page, "Valid")
    assert fits_the_width(page)
    shots(page, "21-officer-typed-code-valid-phone")

    # Uploading the PDF they were emailed.
    page.goto(f"{live.url}/verify")
    page.get_by_label("Slip or summary PDF").set_input_files(str(original))
    page.get_by_role("button", name="Check file").click()
    verdict_reads(page, "Valid")
    shots(page, "22-officer-upload-valid-phone")

    # A copy with something appended after issue.
    edited = tmp_path / "slip-edited.pdf"
    edited.write_bytes(pdf + b"\n% a changed line\n")
    page.goto(f"{live.url}/verify")
    page.get_by_label("Slip or summary PDF").set_input_files(str(edited))
    page.get_by_role("button", name="Check file").click()
    verdict_reads(page, "Edited after issue")
    expect(page.get_by_text("The record, exactly as issued")).to_be_visible()
    assert fits_the_width(page)
    shots(page, "23-officer-upload-edited-phone")

    # The facilitator withdraws the slip; the same QR link now says so, with the reason.
    facilitator_api.post(
        f"/api/v1/records/{record['id']}/revoke", {"reason": "Signed for the wrong date"}
    )
    page.goto(qr_url)
    verdict_reads(page, "Revoked")
    expect(page.locator(".verdict-reason")).to_contain_text("Signed for the wrong date")
    assert fits_the_width(page)
    shots(page, "24-officer-qr-revoked-phone")

    assert console.csp_violations == []
    officer.close()


def test_the_console_watch_does_see_a_csp_violation(live, chromium, console):
    """The check above is only worth something if a real violation would show up in it."""
    context = console.watch(chromium.new_context())
    page = context.new_page()
    page.goto(f"{live.url}/verify")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert console.csp_violations, console.errors
    context.close()
