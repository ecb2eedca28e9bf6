"""The facilitator's roster updates itself, but never under the facilitator's fingers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_facilitator_journey import sign_in
from tests.browser.test_keyboard_checkin import START, open_a_session

pytestmark = pytest.mark.browser


def check_in(chromium, url: str, code: str, name: str) -> None:
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{url}/checkin/{code}")
    page.get_by_label("Your name, as it should be printed on your slip").fill(name)
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("You're checked in")).to_be_visible()
    context.close()


def test_new_check_ins_appear_without_a_reload(live, chromium, shots):
    codes = open_a_session(live.app)
    live.clock.set(START + timedelta(minutes=1))
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    facilitator = context.new_page()
    sign_in(facilitator, live.url)
    facilitator.goto(f"{live.url}/facilitator/sessions/{codes.id}")
    expect(facilitator.get_by_text("Nobody yet.")).to_be_visible()

    check_in(chromium, live.url, codes.checkin_code, "Dana Kowalski")
    dana = facilitator.locator("li.person", has_text="Dana Kowalski")
    expect(dana).to_be_visible(timeout=5000)
    expect(dana.get_by_text("Checked in, not checked out")).to_be_visible()

    # While a row's form is open, the roster is left alone and a note says updates wait.
    dana.get_by_text("Times and changes").click()
    dana.get_by_label("Reason (kept with the session)").fill("typing a reason")
    check_in(chromium, live.url, codes.checkin_code, "Lee Park")
    expect(facilitator.locator("#roster-waiting")).to_be_visible(timeout=5000)
    expect(facilitator.locator("li.person", has_text="Lee Park")).to_have_count(0)
    expect(dana.get_by_label("Reason (kept with the session)")).to_have_value("typing a reason")
    shots(facilitator, "16-roster-update-waiting")
    facilitator.get_by_role("link", name="refresh", exact=True).click()
    expect(facilitator.locator("li.person", has_text="Lee Park")).to_be_visible()
    context.close()
