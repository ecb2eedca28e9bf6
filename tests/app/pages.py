"""Attendance pages for tests about what a page does (summaries, share links, languages).

Records join a page only by proof: a check-in made from the page, or a proven email (see
test_identity.py for those journeys). Tests of the page itself file the records they need on
one page directly, the way those proofs leave them.
"""

from __future__ import annotations

from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee
from compliance.services import links
from tests.app.web_session import csrf_from


def page_with(app, records: list[dict], *, name: str | None = None) -> str:
    """Put these records (finalize answers) on one attendance page and return its link."""
    with app.app_context():
        rows = [db.session.get(AttendanceRecord, r["id"]) for r in records]
        page = db.session.get(Attendee, rows[0].attendee_id)
        if name is not None:
            page.name = name
        for row in rows[1:]:
            row.attendee_id = page.id
        db.session.commit()
        return links.attendee_url(page)


def page_of(app, record: dict) -> str:
    """Return the link of the page a record (a finalize answer) was filed on."""
    with app.app_context():
        return links.attendee_url(db.session.get(AttendanceRecord, record["id"]).attendee)


def attend_from_page(app, facilitator, client, page_url: str, day: str) -> dict:
    """Check in from the page to a 7–8 PM Chicago meeting on `day`, have the facilitator
    record the hour, sign after the meeting; return the finalize answer's record of the page."""
    from datetime import datetime

    from tests.app.journey import attend, create_meeting, open_session

    start, end = f"{day}T19:00:00-06:00", f"{day}T20:00:00-06:00"
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"], starts_at=start, ends_at=end)
    app.config["CLOCK"] = lambda: datetime.fromisoformat(start)
    token = csrf_from(client.get(page_url).get_data(as_text=True))
    answer = client.post(
        f"{page_url}/checkin", data={"code": session["checkin_code"], "csrf_token": token}
    )
    assert answer.status_code == 302 and "/checkin/" in answer.headers["Location"], answer
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()
    (person,) = roster["attendees"]
    assert person["name_source"] == "page"
    attend(facilitator, session["id"], person["name"], start, end)
    app.config["CLOCK"] = lambda: datetime.fromisoformat(end)
    finalized = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert finalized.status_code == 200, finalized.get_json()
    (record,) = finalized.get_json()["records"]
    return record
