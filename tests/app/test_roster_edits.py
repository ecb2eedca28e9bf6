"""A facilitator fixing the roster before signing, through the API (contract: "Facilitator API
additions"): the printed name, an interval, a whole import, the session itself."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AuditEntry
from tests.app.journey import WINDOW, at, attend, create_meeting, open_session
from tests.app.test_api_import import REPORTS, upload


@pytest.fixture
def session(facilitator) -> dict:
    return open_session(facilitator, create_meeting(facilitator)["id"])


def roster_of(user, session_id: str) -> dict:
    return user.get(f"/api/v1/sessions/{session_id}/roster").get_json()


def person_named(roster: dict, name: str) -> dict:
    (person,) = [p for p in roster["attendees"] if p["name"] == name]
    return person


def audit_events(app, event: str) -> list[AuditEntry]:
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.event == event).order_by(AuditEntry.seq)
        return list(db.session.scalars(query))


def rename(user, session_id: str, person_id: str, name):
    url = f"/api/v1/sessions/{session_id}/attendees/{person_id}"
    return user.client.patch(url, json={"name": name}, headers=user._headers())


def delete(user, url: str, **kw):
    return user.client.delete(url, headers=user._headers(), **kw)


# --- the printed name ----------------------------------------------------------------------


def test_a_renamed_person_is_shown_and_signed_under_the_new_name(app, facilitator, session):
    person = attend(facilitator, session["id"], "Quinn, Pat", at("19:00"), at("20:00"))
    answer = rename(facilitator, session["id"], person["id"], "  Pat   Quinn ")
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["name"], answer.get_json()["name_source"]) == (
        "Pat Quinn",
        "facilitator",
    )
    roster = roster_of(facilitator, session["id"])
    assert [p["name"] for p in roster["attendees"]] == ["Pat Quinn"]
    (record,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    assert record["name"] == "Pat Quinn"
    (entry,) = audit_events(app, "roster.renamed")
    assert json.loads(entry.details) == {"from": "Quinn, Pat", "to": "Pat Quinn"}
    again = rename(facilitator, session["id"], person["id"], "Pat Q.")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("name", "status"), [("", 400), ("x" * 81, 400), ("Pat\u202eQ", 400), (7, 400)]
)
def test_a_bad_name_is_refused_naming_the_field_and_changes_nothing(
    facilitator, session, name, status
):
    person = attend(facilitator, session["id"], "Pat Quinn", at("19:00"), at("20:00"))
    answer = rename(facilitator, session["id"], person["id"], name)
    assert answer.status_code == status and answer.get_json()["field"] == "name"
    assert [p["name"] for p in roster_of(facilitator, session["id"])["attendees"]] == ["Pat Quinn"]


def test_no_one_renames_in_a_session_they_do_not_run(facilitator, other_facilitator, session):
    person = attend(facilitator, session["id"], "Pat Quinn", at("19:00"), at("20:00"))
    assert rename(other_facilitator, session["id"], person["id"], "Mallory").status_code == 404
    assert rename(facilitator, session["id"], "no-such-person", "Mallory").status_code == 404


# --- intervals -----------------------------------------------------------------------------


def test_an_interval_is_removed_and_its_reason_kept(app, facilitator, session):
    attend(facilitator, session["id"], "Dana K", at("19:00"), at("19:30"))
    person = attend(facilitator, session["id"], "Dana K", at("19:30"), at("20:00"))
    assert person["present_minutes"] == 60
    interval = person["intervals"][1]
    url = f"/api/v1/sessions/{session['id']}/intervals/{interval['id']}"
    answer = delete(facilitator, url, json={"reason": "entered twice"})
    assert answer.status_code == 204
    after = person_named(roster_of(facilitator, session["id"]), "Dana K")
    assert after["present_minutes"] == 30 and len(after["intervals"]) == 1
    (entry,) = audit_events(app, "roster.interval_removed")
    assert json.loads(entry.details)["reason"] == "entered twice"
    assert delete(facilitator, url).status_code == 404


def test_intervals_name_their_source_and_id(facilitator, session):
    person = attend(facilitator, session["id"], "Dana K", at("19:00"), at("19:30"))
    (interval,) = person["intervals"]
    assert interval["source"] == "manual" and interval["id"]


@pytest.mark.parametrize(
    ("joined", "left", "field"),
    [
        ("17:00", "18:00", "left_at"),
        ("20:00", "21:00", "joined_at"),
        ("21:00", "22:00", "joined_at"),
    ],
)
def test_time_wholly_outside_the_meeting_is_422_naming_the_field(
    facilitator, session, joined, left, field
):
    body = {"name": "Dana K", "joined_at": at(joined), "left_at": at(left)}
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert answer.status_code == 422 and answer.get_json()["field"] == field
    assert roster_of(facilitator, session["id"])["attendees"] == []


def test_an_interval_that_ends_before_it_starts_is_refused(facilitator, session):
    body = {"name": "Dana K", "joined_at": at("19:20"), "left_at": at("18:40")}
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert answer.status_code == 400 and answer.get_json()["field"] == "left_at"


# --- imports ---------------------------------------------------------------------------------


def test_an_import_is_undone_as_a_whole(facilitator, session):
    attend(
        facilitator, session["id"], "Dana Kowalski", at("19:05"), at("19:10"), "dana.k@example.net"
    )
    before = roster_of(facilitator, session["id"])["attendees"]
    answer = upload(facilitator, session["id"], (REPORTS / "zoom-participants.csv").read_bytes())
    assert answer.status_code == 200 and answer.get_json()["id"]
    imported = roster_of(facilitator, session["id"])["attendees"]
    assert len(imported) > len(before)
    assert {i["source"] for p in imported for i in p["intervals"]} == {"manual", "report"}
    undo = delete(
        facilitator,
        f"/api/v1/sessions/{session['id']}/participant-report/{answer.get_json()['id']}",
    )
    assert undo.status_code == 204
    after = roster_of(facilitator, session["id"])["attendees"]
    assert after == before
    again = delete(
        facilitator,
        f"/api/v1/sessions/{session['id']}/participant-report/{answer.get_json()['id']}",
    )
    assert again.status_code == 404


def test_a_report_from_another_day_is_refused_naming_both_dates(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(
        facilitator,
        meeting["id"],
        starts_at="2025-03-11T19:00:00-05:00",
        ends_at="2025-03-11T20:00:00-05:00",
    )
    answer = upload(facilitator, session["id"], (REPORTS / "zoom-participants.csv").read_bytes())
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert "2025-03-04" in error and "2025-03-11" in error
    assert roster_of(facilitator, session["id"])["attendees"] == []


# --- cancelling ------------------------------------------------------------------------------


def test_a_cancelled_session_takes_no_check_ins_and_cannot_be_signed(app, facilitator, session):
    attend(facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
    assert delete(facilitator, f"/api/v1/sessions/{session['id']}").status_code == 204
    shown = facilitator.get(f"/api/v1/sessions/{session['id']}").get_json()
    assert shown["status"] == "cancelled"
    finalize = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert finalize.status_code == 409 and "cancelled" in finalize.get_json()["error"]
    body = {"name": "Lee", "joined_at": at("19:00"), "left_at": at("20:00")}
    late = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert late.status_code == 409
    code = session["checkin_code"].replace("-", "")
    closed = app.test_client().get(f"/checkin/{code}")
    assert closed.status_code == 409 and "cancelled" in closed.get_data(as_text=True)
    assert len(audit_events(app, "session.cancelled")) == 1


def test_a_signed_session_cannot_be_cancelled(facilitator, session):
    attend(facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
    facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    answer = delete(facilitator, f"/api/v1/sessions/{session['id']}")
    assert answer.status_code == 409
    assert facilitator.get(f"/api/v1/sessions/{session['id']}").get_json()["status"] == "finalized"


def test_edits_need_an_unsigned_session_of_ones_own(facilitator, other_facilitator, session):
    person = attend(facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
    interval = person["intervals"][0]["id"]
    for url in (
        f"/api/v1/sessions/{session['id']}/intervals/{interval}",
        f"/api/v1/sessions/{session['id']}/participant-report/none",
        f"/api/v1/sessions/{session['id']}",
    ):
        assert delete(other_facilitator, url).status_code == 404, url
    assert WINDOW["starts_at"].startswith("2025-03-04")


# --- the same on the session page --------------------------------------------------------------


@pytest.fixture
def sam(app, facilitator):
    from tests.app.web_session import signed_in

    return signed_in(app, facilitator.email)


def test_the_page_renames_removes_time_and_refuses_a_backwards_span(sam, facilitator, session):
    page_url = f"/facilitator/sessions/{session['id']}"
    person = attend(facilitator, session["id"], "Quinn, Pat", at("19:00"), at("19:30"))
    sam.get(page_url)
    renamed = sam.post(f"{page_url}/people/{person['id']}/name", {"name": "Pat Quinn"})
    assert renamed.status_code == 302
    assert "Pat Quinn" in sam.get(page_url).get_data(as_text=True)
    backwards = sam.post(
        f"{page_url}/people/{person['id']}/time",
        {"joined": "19:40", "left": "19:35", "reason": "typed from my notes"},
    )
    assert backwards.status_code == 400
    assert "must be after" in backwards.get_data(as_text=True)
    outside = sam.post(
        f"{page_url}/people/{person['id']}/time",
        {"joined": "21:10", "left": "21:40", "reason": "typed from my notes"},
    )
    assert outside.status_code == 400 and "outside the scheduled window" in outside.text
    interval = person["intervals"][0]["id"]
    removed = sam.post(f"{page_url}/intervals/{interval}/remove", {"reason": "wrong person"})
    assert removed.status_code == 302
    (entry,) = roster_of(facilitator, session["id"])["attendees"]
    assert entry["intervals"] == [] and entry["name"] == "Pat Quinn"


def test_the_page_undoes_an_import_and_cancels_a_session(sam, facilitator, session):
    page_url = f"/facilitator/sessions/{session['id']}"
    answer = upload(facilitator, session["id"], (REPORTS / "zoom-participants.csv").read_bytes())
    page = sam.get(page_url).get_data(as_text=True)
    assert "Undo this import" in page
    undo = sam.post(f"{page_url}/imports/{answer.get_json()['id']}/undo")
    assert undo.status_code == 302
    assert roster_of(facilitator, session["id"])["attendees"] == []
    cancelled = sam.post(f"{page_url}/cancel")
    assert cancelled.status_code == 302
    assert facilitator.get(f"/api/v1/sessions/{session['id']}").get_json()["status"] == "cancelled"
    assert "cancelled" in sam.get(page_url).get_data(as_text=True)


# --- the attendance sheet -----------------------------------------------------------------------


def test_the_attendance_sheet_names_people_as_printed_and_never_shows_an_email(
    sam, facilitator, session
):
    from tests.support.pdf_tools import pdf_text, qpdf_check

    for name, until, email in (("Dana Kowalski", "20:00", "dana@"), ("Lee Park", "19:10", "lee@")):
        attend(facilitator, session["id"], name, at("19:00"), at(until), f"{email}example.net")
    (record,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()[
        "records"
    ]
    pdf = sam.client.get(f"/facilitator/sessions/{session['id']}/sheet.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    qpdf_check(pdf.data)
    text = " ".join(pdf_text(pdf.data).split())
    assert "Dana Kowalski" in text and record["code"] in text and "Too short" in text
    assert "@example.net" not in text
    csv_text = sam.get(f"/facilitator/sessions/{session['id']}/sheet.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "name,minutes,outcome"
    assert f"Dana Kowalski,60,Slip {record['code']}" in csv_text
    assert "@" not in csv_text


# --- calm states ---------------------------------------------------------------------------------


def test_a_too_large_upload_leads_back_to_the_session(app, sam, facilitator, session):
    import io

    app.config["MAX_CONTENT_LENGTH"] = 1024
    page_url = f"/facilitator/sessions/{session['id']}"
    sam.get(page_url)
    answer = sam.client.post(
        f"{page_url}/import",
        data={"report": (io.BytesIO(b"x" * 4096), "big.csv"), "csrf_token": sam.token},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 413
    text = answer.get_data(as_text=True)
    assert "uploads are at most" in text and f'href="{page_url}"' in text


def test_a_second_tab_after_signing_reads_calmly(sam, facilitator, session):
    person = attend(facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
    page_url = f"/facilitator/sessions/{session['id']}"
    sam.get(page_url)  # the second tab, left open
    facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    stale = sam.post(f"{page_url}/people/{person['id']}/exclude", {"reason": "camera off"})
    assert stale.status_code == 302
    shown = sam.get(stale.headers["Location"]).get_data(as_text=True)
    assert "already signed (perhaps from another tab" in shown and "flash-info" in shown
    again = sam.post(f"{page_url}/sign")
    assert "already signed (perhaps from another tab" in sam.get(again.headers["Location"]).text


def test_the_home_page_routes_each_audience(client):
    page = client.get("/").get_data(as_text=True)
    for link in ('href="/checkin"', 'href="/verify"', 'href="/sign-in"', 'href="/me/recover"'):
        assert link in page
    assert "type the code\n  below" not in page


def test_a_rename_the_slip_cannot_print_is_refused_naming_the_character(facilitator, session):
    person = attend(facilitator, session["id"], "Pat Quinn", at("19:00"), at("20:00"))
    answer = rename(facilitator, session["id"], person["id"], "Pat 🦄 Quinn")
    assert answer.status_code == 400
    assert answer.get_json()["field"] == "name" and "U+1F984" in answer.get_json()["error"]
    assert [p["name"] for p in roster_of(facilitator, session["id"])["attendees"]] == ["Pat Quinn"]
