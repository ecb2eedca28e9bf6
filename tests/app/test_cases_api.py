"""Officers' case calls: creating, listing, progress; who may call them; consent first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance.domain.codes import normalize_code
from tests.app.cases import LABEL, create_case, dana_page, link, sign_day
from tests.conftest import make_api_user


@pytest.fixture
def officer(app):
    return make_api_user(app, "olive@example.org", "Olive O.", role="officer")


@pytest.fixture
def other_officer(app):
    return make_api_user(app, "oscar@example.org", "Oscar P.", role="officer")


def test_a_new_case_has_an_unguessable_id_and_a_typable_enrolment_code(officer):
    made = create_case(officer)
    again = create_case(officer)
    assert len(made["id"]) >= 22 and made["id"] != again["id"]
    assert normalize_code(made["enrolment_code"]) is not None
    assert made["enrolment_code"] != again["enrolment_code"]
    assert made["status"] == "awaiting_consent"
    assert (made["counted"], made["needed"]) == (0, 3)
    assert made["requirement"] == {"per_week": 1, "weeks": 3}


def test_starts_on_defaults_to_today(app, officer):
    app.config["CLOCK"] = lambda: datetime(2025, 6, 2, 15, 0, tzinfo=UTC)
    made = create_case(officer, starts_on=None, requirement={"meetings": 90, "days": 90})
    assert made["starts_on"] == "2025-06-02" and made["ends_on"] == "2025-08-30"
    (period,) = made["periods"]
    assert period == {"from": "2025-06-02", "to": "2025-08-30", "counted": 0, "needed": 90}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"label": None}, "label"),
        ({"label": ""}, "label"),
        ({"label": "x" * 81}, "label"),
        ({"label": 42}, "label"),
        ({"label": "A\u202eB"}, "label"),
        ({"requirement": None}, "requirement"),
        ({"requirement": {"meetings": 3}}, "requirement"),
        ({"requirement": {"meetings": 3, "days": 30, "weeks": 2}}, "requirement"),
        ({"requirement": {"per_week": 3, "days": 30}}, "requirement"),
        ({"requirement": {"meetings": 0, "days": 30}}, "requirement.meetings"),
        ({"requirement": {"meetings": "3", "days": 30}}, "requirement.meetings"),
        ({"requirement": {"meetings": 3, "days": 0}}, "requirement.days"),
        ({"requirement": {"meetings": True, "days": 30}}, "requirement.meetings"),
        ({"requirement": {"per_week": 3, "weeks": 0}}, "requirement.weeks"),
        ({"requirement": {"per_week": 99, "weeks": 4}}, "requirement.per_week"),
        ({"starts_on": "03/01/2025"}, "starts_on"),
        ({"starts_on": "2025-02-30"}, "starts_on"),
        ({"starts_on": 20250301}, "starts_on"),
        ({"min_minutes": -1}, "min_minutes"),
        ({"min_minutes": 45.5}, "min_minutes"),
        ({"programs": "AA"}, "programs"),
        ({"programs": []}, "programs"),
        ({"programs": ["AA", 7]}, "programs"),
    ],
)
def test_every_field_is_checked_and_named(officer, change, field):
    body = {"label": LABEL, "requirement": {"per_week": 1, "weeks": 3}, **change}
    body = {k: v for k, v in body.items() if v is not None}
    answer = officer.post("/api/v1/cases", json=body)
    assert answer.status_code == 422, answer.get_json()
    refusal = answer.get_json()
    assert refusal["field"] == field.split(".")[0]  # the contract's field
    assert refusal.get("part", refusal["field"]) == field  # and the part of it at fault
    assert field in refusal["error"]
    assert officer.get("/api/v1/cases").get_json() == {"cases": []}


def test_a_body_that_is_not_an_object_is_refused(officer):
    answer = officer.post("/api/v1/cases", data="[]", content_type="application/json")
    assert answer.status_code == 400 and answer.get_json()["field"] == "body"


def test_case_calls_are_for_officers_only(app, client, facilitator, officer):
    case = create_case(officer)
    admin = make_api_user(app, "ada@example.org", "Ada A.", role="admin")
    for call in ("/api/v1/cases", f"/api/v1/cases/{case['id']}"):
        assert client.get(call).status_code == 401
        assert facilitator.get(call).status_code == 403
        assert admin.get(call).status_code == 403
    assert facilitator.post("/api/v1/cases", json={"label": "x"}).status_code == 403


def test_facilitator_calls_stay_closed_to_officers(officer):
    meeting = {"name": "Circle", "program": "AA", "timezone": "America/Chicago"}
    assert officer.post("/api/v1/meetings", json=meeting).status_code == 403


def test_another_officers_case_is_not_found(officer, other_officer):
    case = create_case(officer)
    assert other_officer.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert other_officer.get("/api/v1/cases").get_json() == {"cases": []}
    assert officer.get("/api/v1/cases/not-a-case").status_code == 404


def test_until_consent_the_officer_sees_nothing_of_the_attendee(app, facilitator, officer):
    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    case = create_case(officer)
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert shown["status"] == "awaiting_consent"
    assert shown["records"] == [] and shown["counted"] == 0
    assert all(p["counted"] == 0 for p in shown["periods"])


def test_after_consent_the_records_in_the_period_count(app, facilitator, officer):
    page, records = dana_page(app, facilitator, ["2025-03-01", "2025-03-04", "2025-03-11"])
    case = create_case(officer)
    assert link(app, page, case["enrolment_code"]).status_code == 302
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    # 2025-03-01 is before the case starts: not shown at all.
    assert [r["code"] for r in shown["records"]] == [records[1]["code"], records[2]["code"]]
    assert shown["records"][0] == {
        "code": records[1]["code"],
        "status": "valid",
        "date": "2025-03-04",
        "meeting": "Tuesday Evening Recovery Circle",
        "program": "SMART Recovery",
        "minutes": 60,
        "counts": True,
    }
    assert [(p["from"], p["to"], p["counted"], p["needed"]) for p in shown["periods"]] == [
        ("2025-03-03", "2025-03-09", 1, 1),
        ("2025-03-10", "2025-03-16", 1, 1),
        ("2025-03-17", "2025-03-23", 0, 1),
    ]
    assert (shown["counted"], shown["needed"]) == (2, 3)
    assert shown["status"] == "behind"  # the third week is over, and it had none
    assert officer.get("/api/v1/cases").get_json()["cases"] == [
        {"id": case["id"], "label": LABEL, "status": "behind", "counted": 2, "needed": 3}
    ]


def test_on_track_while_the_week_can_still_be_met_then_met(app, facilitator, officer):
    page, records = dana_page(app, facilitator, ["2025-03-04", "2025-03-11"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    app.config["CLOCK"] = lambda: datetime(2025, 3, 19, 18, 0, tzinfo=UTC)
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["status"] == "on_track"
    sign_day(facilitator, "2025-03-18", [("Someone Else", None)])  # not Dana's page
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["counted"] == 2


def test_a_revocation_shows_at_once(app, facilitator, officer):
    page, records = dana_page(app, facilitator, ["2025-03-04", "2025-03-11", "2025-03-18"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["status"] == "met"
    revoked = facilitator.post(
        f"/api/v1/records/{records[1]['id']}/revoke", json={"reason": "Counted by mistake"}
    )
    assert revoked.status_code == 200
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert shown["status"] == "behind" and shown["counted"] == 2
    assert [(r["status"], r["counts"]) for r in shown["records"]] == [
        ("valid", True),
        ("revoked", False),
        ("valid", True),
    ]


def test_overlapping_meetings_count_once(app, facilitator, officer):
    first = sign_day(facilitator, "2025-03-04", [("Dana Kowalski", None)])
    overlapping = sign_day(
        facilitator, "2025-03-04", [("Dana Kowalski", None)], start="19:30", end="20:30"
    )
    from tests.app.pages import page_with

    page = page_with(app, first + overlapping)
    case = create_case(officer, requirement={"meetings": 2, "days": 7})
    link(app, page, case["enrolment_code"])
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert shown["counted"] == 1
    assert sorted(r["counts"] for r in shown["records"]) == [False, True]


def test_minimum_minutes_and_programs_decide_what_counts(app, facilitator, officer):
    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    too_long = create_case(officer, min_minutes=61)
    other_program = create_case(officer, programs=["AA", "NA"])
    right_program = create_case(officer, programs=["smart  recovery"], min_minutes=60)
    for case in (too_long, other_program, right_program):
        link(app, page, case["enrolment_code"])
    counted = [
        officer.get(f"/api/v1/cases/{c['id']}").get_json()["records"][0]["counts"]
        for c in (too_long, other_program, right_program)
    ]
    assert counted == [False, False, True]


def test_after_withdrawal_the_officer_sees_only_withdrawn(app, facilitator, officer):
    from tests.app.web_session import Browser

    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    browser = Browser(app.test_client())
    html = browser.get(page).get_data(as_text=True)
    assert "Olive O." in html and LABEL not in html
    consent_id = html.split("/cases/")[1].split("/withdraw")[0]
    assert browser.post(f"{page}/cases/{consent_id}/withdraw").status_code == 302
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert shown["status"] == "withdrawn"
    assert shown["records"] == [] and shown["counted"] == 0
    assert all(p["counted"] == 0 for p in shown["periods"])
    # The code is spent: linking again does not bring the case back.
    link(app, page, case["enrolment_code"])
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["status"] == "withdrawn"


def test_flask_tokens_create_gives_officers_a_token_for_the_case_calls(app, runner, client):
    made = runner.invoke(
        args=["users", "create", "oona@example.org", "--name", "Oona P.", "--role", "officer"]
    )
    assert made.exit_code == 0, made.output
    issued = runner.invoke(args=["tokens", "create", "oona@example.org"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"label": LABEL, "requirement": {"meetings": 90, "days": 90}}
    assert client.post("/api/v1/cases", json=body, headers=headers).status_code == 201
    assert len(client.get("/api/v1/cases", headers=headers).get_json()["cases"]) == 1
