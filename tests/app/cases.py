"""Building blocks for officers' case tests: a case, an attendee page with records, linking."""

from __future__ import annotations

from tests.app.journey import attend, create_meeting, open_session
from tests.app.pages import page_with
from tests.app.web_session import Browser

LABEL = "DOCKET 24-CR-0193 Kowalski"


def sign_day(user, day: str, people: list[tuple[str, str | None]], meeting=None, **hours):
    """Sign a Chicago session on `day` (7–8 PM unless `start`/`end` say otherwise) where
    everyone listed stayed throughout; return the finalize answer's records."""
    start, end = hours.get("start", "19:00"), hours.get("end", "20:00")
    meeting = meeting or create_meeting(user)
    window = {"starts_at": f"{day}T{start}:00-06:00", "ends_at": f"{day}T{end}:00-06:00"}
    session = open_session(user, meeting["id"], **window)
    for name, email in people:
        attend(user, session["id"], name, window["starts_at"], window["ends_at"], email)
    answer = user.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["records"]


def dana_page(app, facilitator, days: list[str]) -> tuple[str, list[dict]]:
    """Return the link of Dana's page holding one signed record on each day, and the records."""
    meeting = create_meeting(facilitator)
    records = []
    for day in days:
        records += sign_day(facilitator, day, [("Dana Kowalski", None)], meeting)
    return page_with(app, records), records


def create_case(officer, **body) -> dict:
    body.setdefault("label", LABEL)
    body.setdefault("requirement", {"per_week": 1, "weeks": 3})
    body.setdefault("starts_on", "2025-03-03")
    answer = officer.post("/api/v1/cases", json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def link(app, page_url: str, code: str):
    """Type the code into the page's form, as the attendee; return the answer (a redirect)."""
    browser = Browser(app.test_client())
    browser.get(page_url)
    return browser.post(f"{page_url}/cases", {"enrolment_code": code})
