"""The officer's dashboard: the caseload (behind first), a case with its weekly chart, the new
case form, the CSV export, the report link. Officers see only their own cases."""

from __future__ import annotations

import csv
import io
import re

import pytest

from compliance.models import KeyPurpose
from compliance.services import accounts, keyring
from tests.app.cases import LABEL, create_case, dana_page, link
from tests.app.web_session import Browser, signed_in
from tests.conftest import make_api_user


@pytest.fixture
def officer(app):
    return make_api_user(app, "olive@example.org", "Olive O.", role="officer")


@pytest.fixture
def olive(app, officer) -> Browser:
    return signed_in(app, officer.email)


def test_officers_land_on_their_dashboard(app, officer):
    from tests.app.web_session import give_password

    give_password(app, officer.email)
    answer = Browser(app.test_client()).sign_in(officer.email)
    assert answer.headers["Location"].endswith("/officer/")


def test_the_caseload_lists_cases_behind_first(app, facilitator, officer, olive):
    page, _ = dana_page(app, facilitator, ["2025-03-04", "2025-03-11", "2025-03-18"])
    met = create_case(officer, label="A met case")
    behind = create_case(officer, label="Z behind case", requirement={"per_week": 2, "weeks": 3})
    create_case(officer, label="M waiting case")
    link(app, page, met["enrolment_code"])
    link(app, page, behind["enrolment_code"])
    html = olive.get("/officer/").get_data(as_text=True)
    order = [html.index(label) for label in ("Z behind case", "M waiting case", "A met case")]
    assert order == sorted(order)
    assert "1 behind" in html
    assert '<progress max="6" value="3"' in html


def test_a_case_page_shows_the_code_until_consent_then_chart_and_records(
    app, facilitator, officer, olive
):
    page, records = dana_page(app, facilitator, ["2025-03-04", "2025-03-18"])
    case = create_case(officer)
    waiting = olive.get(f"/officer/cases/{case['id']}").get_data(as_text=True)
    assert case["enrolment_code"] in waiting and "<svg" not in waiting
    link(app, page, case["enrolment_code"])
    html = olive.get(f"/officer/cases/{case['id']}").get_data(as_text=True)
    assert case["enrolment_code"] not in html
    assert html.count('<rect class="met"') == 2 and html.count('<rect class="short"') == 1
    assert "<script" not in html.split("<main>")[1]
    for record in records:
        assert record["code"] in html
    assert f"/officer/cases/{case['id']}/report.pdf" in html
    report = olive.client.get(f"/officer/cases/{case['id']}/report.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"


def test_the_new_case_form_creates_a_case(app, officer, olive):
    olive.get("/officer/")
    answer = olive.post(
        "/officer/cases",
        {"label": "24-CR-7", "kind": "meetings", "count": "90", "span": "90",
         "starts_on": "2025-06-01", "min_minutes": "", "programs": "aa, NA"},
    )  # fmt: skip
    assert answer.status_code == 302
    (case,) = officer.get("/api/v1/cases").get_json()["cases"]
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert shown["requirement"] == {"meetings": 90, "days": 90}
    assert shown["programs"] == ["AA", "NA"] and shown["starts_on"] == "2025-06-01"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"label": ""}, "label is required"),
        ({"count": "0"}, "requirement.meetings must be between"),
        ({"span": ""}, "requirement.days must be a whole number"),
        ({"min_minutes": "-5"}, "min_minutes must be between"),
    ],
)
def test_the_new_case_form_names_what_is_wrong(app, officer, olive, change, message):
    olive.get("/officer/")
    form = {"label": "24-CR-7", "kind": "meetings", "count": "3", "span": "30", **change}
    answer = olive.post("/officer/cases", form)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert officer.get("/api/v1/cases").get_json() == {"cases": []}


def test_the_csv_export_is_the_caseload(app, facilitator, officer, olive):
    create_case(officer, label='=HYPERLINK("x")')
    create_case(officer)
    answer = olive.get("/officer/cases.csv")
    assert answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert {row["label"] for row in rows} == {'\'=HYPERLINK("x")', LABEL}
    assert {row["status"] for row in rows} == {"awaiting_consent"}
    assert all(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", row["enrolment_code"]) for row in rows)


def test_officers_see_only_their_own_cases(app, officer, olive):
    case = create_case(officer)
    with app.app_context():
        accounts.create_user("oscar@example.org", "Oscar P.", "officer")
    oscar = signed_in(app, "oscar@example.org")
    assert oscar.get(f"/officer/cases/{case['id']}").status_code == 404
    assert oscar.client.get(f"/officer/cases/{case['id']}/report.pdf").status_code == 404
    assert LABEL not in oscar.get("/officer/").get_data(as_text=True)
    assert LABEL not in oscar.get("/officer/cases.csv").get_data(as_text=True)


def test_facilitators_cannot_open_officer_pages(app, facilitator, sam):
    assert sam.get("/officer/").status_code == 403


def test_the_caseload_follows_revocations_new_records_and_the_days(
    app, facilitator, officer, olive
):
    from datetime import UTC, datetime

    from tests.app.cases import sign_day
    from tests.app.pages import page_with

    page, records = dana_page(app, facilitator, ["2025-03-04", "2025-03-11", "2025-03-18"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])

    def listed() -> tuple[str, int]:
        (row,) = officer.get("/api/v1/cases").get_json()["cases"]
        html = olive.get("/officer/").get_data(as_text=True)
        assert f"{min(row['counted'], 3)} / 3" in html
        return row["status"], row["counted"]

    assert listed() == ("met", 3)
    facilitator.post(f"/api/v1/records/{records[0]['id']}/revoke", json={"reason": "Mistake"})
    assert listed() == ("behind", 2)
    # A new record on the page, in the first week again: met once more.
    (again,) = sign_day(facilitator, "2025-03-05", [("Dana Kowalski", None)])
    page_with(app, [records[1], again])
    assert listed() == ("met", 3)
    # The same records on another day: before the last week, on track, not met.
    facilitator.post(f"/api/v1/records/{records[2]['id']}/revoke", json={"reason": "Mistake"})
    app.config["CLOCK"] = lambda: datetime(2025, 3, 17, 18, tzinfo=UTC)
    assert listed() == ("on_track", 2)
    app.config["CLOCK"] = lambda: datetime(2025, 3, 25, 18, tzinfo=UTC)
    assert listed() == ("behind", 2)


def test_cases_not_computed_in_time_say_so_and_come_first(
    app, facilitator, officer, olive, monkeypatch
):
    from compliance.web import officer as officer_pages

    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    create_case(officer, label="Waiting for the client")
    linked = create_case(officer, label="Zed linked")
    link(app, page, linked["enrolment_code"])
    monkeypatch.setattr(officer_pages, "DASHBOARD_COMPUTE_SECONDS", -1.0)  # no time at all
    html = olive.get("/officer/").get_data(as_text=True)
    assert "1 case is still being brought up to date" in html
    assert html.index("Zed linked") < html.index("Waiting for the client")
    assert "Updating…" in html and "badge-case-behind" not in html
    # The API and the next visit with time to spare give the status.
    assert officer.get("/api/v1/cases").get_json()["cases"][0]["status"] == "behind"
    monkeypatch.setattr(officer_pages, "DASHBOARD_COMPUTE_SECONDS", 5.0)
    html = olive.get("/officer/").get_data(as_text=True)
    assert "brought up to date" not in html and "badge-case-behind" in html


def test_flask_cases_refresh_computes_every_caseload(app, runner, facilitator, officer):
    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    result = runner.invoke(args=["cases", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Brought 1 cases of 1 officers up to date." in result.stdout
    with app.app_context():
        from compliance.extensions import db
        from compliance.models import Case

        assert db.session.get(Case, case["id"]).progress_periods == "1,0,0"


def test_revoking_a_key_brings_every_caseload_up_to_date_at_once(
    app, runner, facilitator, officer, olive, monkeypatch
):
    from compliance.web import officer as officer_pages

    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    assert officer.get("/api/v1/cases").get_json()["cases"][0]["counted"] == 1
    with app.app_context():
        old_kid = keyring.current_key_row(KeyPurpose.DOCUMENTS).kid
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    revoked = runner.invoke(args=["keys", "revoke", old_kid, "--reason", "laptop stolen"])
    assert revoked.exit_code == 0, revoked.output
    assert "Brought 1 cases of 1 officers up to date." in revoked.stdout
    # The first visit finds the work done: with no time to compute, nothing is "Updating…".
    monkeypatch.setattr(officer_pages, "DASHBOARD_COMPUTE_SECONDS", -1.0)
    html = olive.get("/officer/").get_data(as_text=True)
    assert "Updating…" not in html and "brought up to date" not in html
    assert officer.get("/api/v1/cases").get_json()["cases"][0]["counted"] == 0
