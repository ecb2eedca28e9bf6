"""Facilitator API: meetings, sessions, attendance, roster, finalize — and what it refuses."""

import pytest

from tests.app.journey import (
    MEETING,
    WINDOW,
    at,
    attend,
    create_meeting,
    open_session,
    signed_session,
)


def test_create_meeting_returns_it(facilitator):
    meeting = create_meeting(facilitator, min_presence_percent=75)
    assert meeting["name"] == MEETING["name"]
    assert meeting["timezone"] == "America/Chicago"
    assert meeting["min_presence_percent"] == 75
    assert len(meeting["id"]) >= 20  # unguessable, not a counter


def test_defaults_presence_to_80_percent(facilitator):
    assert create_meeting(facilitator)["min_presence_percent"] == 80


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**MEETING, "name": ""}, "name"),
        ({**MEETING, "name": "x" * 81}, "name"),
        ({k: v for k, v in MEETING.items() if k != "program"}, "program"),
        ({**MEETING, "timezone": "Mars/Olympus"}, "timezone"),
        ({**MEETING, "timezone": "../../etc/passwd"}, "timezone"),
        ({**MEETING, "timezone": 5}, "timezone"),
        ({**MEETING, "min_presence_percent": 0}, "min_presence_percent"),
        ({**MEETING, "min_presence_percent": 101}, "min_presence_percent"),
        ({**MEETING, "min_presence_percent": "80"}, "min_presence_percent"),
        ({**MEETING, "min_presence_percent": True}, "min_presence_percent"),
    ],
)
def test_create_meeting_names_the_bad_field(facilitator, body, field):
    response = facilitator.post("/api/v1/meetings", json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert field in response.get_json()["error"]


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_refused(facilitator, raw):
    response = facilitator.post(
        "/api/v1/meetings", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["error"]


def test_calls_without_a_valid_token_are_401(client, facilitator):
    assert client.post("/api/v1/meetings", json=MEETING).status_code == 401
    bad = client.post(
        "/api/v1/meetings", json=MEETING, headers={"Authorization": "Bearer cpt_nope"}
    )
    assert bad.status_code == 401
    assert "token" in bad.get_json()["error"]


def test_an_officer_token_cannot_run_meetings(app):
    from tests.conftest import make_api_user

    officer = make_api_user(app, "pat@probation.example.gov", "Pat", role="officer")
    assert officer.post("/api/v1/meetings", json=MEETING).status_code == 403


def test_open_session_in_the_meetings_zone(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    assert session["starts_at"] == "2025-03-04T19:00:00-06:00"
    assert session["ends_at"] == "2025-03-04T20:00:00-06:00"
    assert session["status"] == "open"
    assert len(session["checkin_code"].replace("-", "")) == 16


def test_session_times_given_in_utc_are_shown_in_the_meetings_zone(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(
        facilitator, meeting["id"], starts_at="2025-03-05T01:00:00Z", ends_at="2025-03-05T02:00:00Z"
    )
    assert session["starts_at"] == "2025-03-04T19:00:00-06:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WINDOW, "starts_at": "2025-03-04T19:00:00"}, "starts_at"),  # no offset
        ({**WINDOW, "starts_at": "yesterday"}, "starts_at"),
        ({**WINDOW, "starts_at": "2025-02-30T19:00:00-06:00"}, "starts_at"),
        ({**WINDOW, "ends_at": "2025-03-04T18:00:00-06:00"}, "ends_at"),  # before start
        ({**WINDOW, "ends_at": WINDOW["starts_at"]}, "ends_at"),  # zero length
        ({**WINDOW, "ends_at": "2025-03-06T19:00:00-06:00"}, "ends_at"),  # two days
        ({"starts_at": WINDOW["starts_at"]}, "ends_at"),
        ({**WINDOW, "starts_at": 1741136400}, "starts_at"),
        ({**WINDOW, "starts_at": "1900-01-01T00:00:00+00:00"}, "starts_at"),
    ],
)
def test_open_session_names_the_bad_field(facilitator, body, field):
    meeting = create_meeting(facilitator)
    response = facilitator.post(f"/api/v1/meetings/{meeting['id']}/sessions", json=body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field


def test_rejoins_add_up_as_one_person_by_email_then_by_name(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    attend(
        facilitator, session["id"], "Dana Kowalski", at("18:58"), at("19:31"), "Dana.K@example.net"
    )
    attend(facilitator, session["id"], "Dana K", at("19:20"), at("20:01"), "dana.k@example.net")
    attend(facilitator, session["id"], "Lee Park", at("19:00"), at("19:30"))
    attend(facilitator, session["id"], "  lee   PARK ", at("19:29"), at("19:55"))
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()["attendees"]
    by_name = {a["name"]: a for a in roster}
    assert set(by_name) == {"Dana Kowalski", "Lee Park"}
    # Dana: 18:58–20:01 clipped to 19:00–20:00 = 60 min; Lee: 19:00–19:55 = 55 min.
    assert by_name["Dana Kowalski"]["present_minutes"] == 60
    assert by_name["Dana Kowalski"]["email"] == "dana.k@example.net"
    assert by_name["Lee Park"]["present_minutes"] == 55
    assert by_name["Lee Park"]["qualifies"] is True  # 55 >= 48


def test_roster_applies_the_meetings_own_bar(facilitator):
    meeting = create_meeting(facilitator, min_presence_percent=95)
    session = open_session(facilitator, meeting["id"])
    attend(facilitator, session["id"], "Lee Park", at("19:00"), at("19:56"))
    attend(facilitator, session["id"], "Kim Ode", at("19:00"), at("19:57"))
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()["attendees"]
    assert [(a["name"], a["qualifies"]) for a in roster] == [("Lee Park", False), ("Kim Ode", True)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "Bell\x07"}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"joined_at": "19:00"}, "joined_at"),
        ({"left_at": at("18:00")}, "left_at"),
        ({"left_at": None}, "left_at"),
    ],
)
def test_attendance_names_the_bad_field_and_changes_nothing(facilitator, overrides, field):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    body = {"name": "Lee Park", "joined_at": at("19:00"), "left_at": at("19:55"), **overrides}
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()
    assert roster["attendees"] == []


def test_finalize_issues_records_only_for_those_who_qualify(facilitator):
    _, records = signed_session(facilitator)
    assert [r["name"] for r in records] == ["Dana Kowalski"]
    record = records[0]
    assert record["present_minutes"] == 58
    assert record["token"].count(".") == 2
    assert record["slip_url"].startswith("https://verify.example.org/slips/")
    # An attendee's page never reaches a facilitator: the field stays, always null.
    assert "attendee_url" in record and record["attendee_url"] is None
    assert record["code"].replace("-", "") not in record["slip_url"]


def test_finalize_twice_is_a_conflict_and_issues_nothing_more(facilitator):
    session, records = signed_session(facilitator)
    again = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert again.status_code == 409
    assert "already signed" in again.get_json()["error"]


def test_a_signed_session_takes_no_more_attendance(facilitator):
    session, _ = signed_session(facilitator)
    body = {"name": "Late Person", "joined_at": at("19:00"), "left_at": at("19:59")}
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert response.status_code == 409


def test_finalize_an_empty_session_issues_no_records(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert response.status_code == 200
    assert response.get_json()["records"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/meetings/{meeting}"),
        ("post", "/api/v1/meetings/{meeting}/sessions"),
        ("get", "/api/v1/sessions/{session}"),
        ("post", "/api/v1/sessions/{session}/attendance"),
        ("get", "/api/v1/sessions/{session}/roster"),
        ("post", "/api/v1/sessions/{session}/finalize"),
        ("post", "/api/v1/records/{record}/revoke"),
    ],
)
def test_someone_elses_objects_look_exactly_like_missing_ones(
    facilitator, other_facilitator, method, path
):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    attend(facilitator, session["id"], "Lee Park", at("19:00"), at("19:59"))
    records = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    ids = {"meeting": meeting["id"], "session": session["id"], "record": records[0]["id"]}
    missing = {"meeting": "x" * 22, "session": "y" * 22, "record": "z" * 22}
    body = {
        **WINDOW,
        "name": "Mallory",
        "joined_at": at("19:00"),
        "left_at": at("19:59"),
        "reason": "because",
    }
    theirs = getattr(other_facilitator, method)(path.format(**ids), json=body)
    nobodys = getattr(other_facilitator, method)(path.format(**missing), json=body)
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.get_json() == nobodys.get_json()
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()
    assert [a["name"] for a in roster["attendees"]] == ["Lee Park"]


def test_revoke_needs_a_reason(facilitator):
    _, records = signed_session(facilitator)
    response = facilitator.post(f"/api/v1/records/{records[0]['id']}/revoke", json={})
    assert response.status_code == 400
    assert response.get_json()["field"] == "reason"


@pytest.mark.parametrize("field", ["name", "program", "platform"])
def test_control_characters_are_refused_by_field(facilitator, field):
    response = facilitator.post("/api/v1/meetings", json={**MEETING, field: "Tuesday\x00Circle"})
    assert response.status_code == 400
    assert response.get_json()["field"] == field


def test_a_nul_in_an_email_is_a_400_not_a_500(facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    body = {
        "name": "Lee",
        "email": "lee\x00@example.org",
        "joined_at": at("19:00"),
        "left_at": at("19:59"),
    }
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert response.status_code == 400
