"""Check-in and the attendee's page: the link is shown to the right browser, and only there."""

import re
from datetime import timedelta

from tests.app.checkin_steps import END, START, check_in, reveal
from tests.app.web_session import Browser


def check_out(browser: Browser, code: str):
    browser.get(f"/checkout/{code}")
    return browser.post("/checkout", {"code": code})


def attend_whole_meeting(app, clock, codes, sam, browser, **who) -> str:
    """Check in at the start and out at the end; return the check-in page HTML."""
    clock.now = START
    response = check_in(browser, codes["checkin"], **who)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    reveal(sam, codes["id"])
    clock.now = END
    assert check_out(browser, codes["checkout"]).status_code == 302
    return page


def my_page_link(html: str) -> str | None:
    found = re.search(r'value="(https://verify\.example\.org/me/[^"]+)"', html)
    return found.group(1) if found else None


def sign(sam, session_id) -> None:
    sam.get(f"/facilitator/sessions/{session_id}/sign")
    assert sam.post(f"/facilitator/sessions/{session_id}/sign").status_code == 302


def test_a_new_attendee_is_shown_their_page_and_their_slip_lands_there(app, clock, codes, sam):
    dana = Browser(app.test_client())
    page = attend_whole_meeting(app, clock, codes, sam, dana, email="")
    link = my_page_link(page)
    assert link is not None and "keep this link" in page
    sign(sam, codes["id"])
    attendance = dana.get(link).get_data(as_text=True)
    assert "Tuesday Evening Recovery Circle" in attendance and "Valid" in attendance


def test_a_check_in_from_the_page_joins_it_and_opening_the_page_alone_joins_nothing(
    app,
    clock,
    codes,
    sam,
    facilitator,
):
    dana = Browser(app.test_client())
    first_link = my_page_link(attend_whole_meeting(app, clock, codes, sam, dana, email=""))
    sign(sam, codes["id"])
    dana.get(first_link)  # opening the page ties nothing to this browser

    from compliance.extensions import db
    from compliance.models import MeetingSession
    from tests.app.journey import create_meeting, open_session

    meeting = create_meeting(facilitator, name="Thursday Check-in")
    later = open_session(facilitator, meeting["id"])
    with app.app_context():
        row = db.session.get(MeetingSession, later["id"])
        later_codes = {"id": row.id, "checkin": row.checkin_code, "checkout": row.checkout_code}
    second = attend_whole_meeting(app, clock, later_codes, sam, dana, name="Dana K", email="")
    assert my_page_link(second) not in (None, first_link)  # a page of its own
    third = open_session(
        facilitator,
        meeting["id"],
        starts_at="2025-03-04T21:00:00-06:00",
        ends_at="2025-03-04T22:00:00-06:00",
    )
    with app.app_context():
        row = db.session.get(MeetingSession, third["id"])
        third_codes = {"id": row.id, "checkin": row.checkin_code}
    clock.now = START + timedelta(hours=2)
    page_path = first_link.removeprefix("https://verify.example.org")
    dana.get(page_path)
    answer = dana.post(f"{page_path}/checkin", {"code": third_codes["checkin"]})
    assert answer.status_code == 302
    status = dana.get(answer.headers["Location"]).get_data(as_text=True)
    assert "You're checked in" in status and my_page_link(status) == first_link
    roster = facilitator.get(f"/api/v1/sessions/{third_codes['id']}/roster").get_json()
    assert [(p["name"], p["name_source"]) for p in roster["attendees"]] == [
        ("Dana Kowalski", "page")
    ]
    sign(sam, later_codes["id"])
    attendance = dana.get(first_link).get_data(as_text=True)
    assert "Tuesday Evening Recovery Circle" in attendance
    assert "Thursday Check-in" not in attendance


def test_typing_someone_elses_email_never_reveals_their_page(
    app,
    clock,
    codes,
    sam,
    facilitator,
):
    dana = Browser(app.test_client())
    dana_link = my_page_link(
        attend_whole_meeting(app, clock, codes, sam, dana, email="dana.k@example.net")
    )
    sign(sam, codes["id"])

    from compliance.extensions import db
    from compliance.models import MeetingSession
    from tests.app.journey import create_meeting, open_session

    meeting = create_meeting(facilitator, name="Thursday Check-in")
    later = open_session(facilitator, meeting["id"])
    with app.app_context():
        checkin_code = db.session.get(MeetingSession, later["id"]).checkin_code
    impostor = Browser(app.test_client())
    clock.now = START
    response = check_in(impostor, checkin_code, name="Dana Kowalski", email="dana.k@example.net")
    page = impostor.get(response.headers["Location"]).get_data(as_text=True)
    assert "You're checked in" in page
    # The impostor gets a new page of their own, never Dana's, and no hint that her email
    # already has one.
    assert my_page_link(page) not in (None, dana_link) and dana_link not in page
    assert "already have" not in page
