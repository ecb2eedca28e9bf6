"""The attendee's side of a case: linking with the officer's code, seeing who sees what,
withdrawing. Guessing codes is throttled, and the officer's label never reaches the page."""

from __future__ import annotations

import pytest

from compliance.extensions import db, limiter
from compliance.models import CaseConsent
from compliance.web.limits import WRONG_ENROLMENT_CODES_ALLOWED
from tests.app.cases import LABEL, create_case, dana_page, link
from tests.app.web_session import Browser
from tests.conftest import make_api_user

WRONG = "2345-6789-ABCD-EFGH"


@pytest.fixture
def officer(app):
    limiter.reset()
    return make_api_user(app, "olive@example.org", "Olive O.", role="officer")


@pytest.fixture
def page(app, facilitator):
    url, _ = dana_page(app, facilitator, ["2025-03-04", "2025-03-11"])
    return url


def consents(app) -> list[CaseConsent]:
    with app.app_context():
        return list(db.session.scalars(db.select(CaseConsent)))


def test_the_page_shows_which_officer_sees_what_and_the_progress(app, officer, page):
    case = create_case(officer, min_minutes=30, programs=["SMART Recovery"])
    answer = link(app, page, case["enrolment_code"].lower().replace("-", " "))
    assert answer.headers["Location"].endswith("#cases")
    html = Browser(app.test_client()).get(page).get_data(as_text=True)
    assert "Linked. Your officer now sees your progress" in html or "Olive O." in html
    assert "Olive O." in html
    assert "1 meeting a week for 3 weeks" in html and "2025-03-03" in html
    assert "2 of 3 meetings" in html and "Behind" in html
    assert "Week of 2025-03-10: 1 of 1" in html
    assert "at least 30 minutes" in html and "SMART Recovery" in html
    assert LABEL not in html and "DOCKET" not in html


def test_the_page_speaks_spanish(app, officer, page):
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    browser = Browser(app.test_client())
    browser.get(page)
    browser.post(f"{page}/language", {"language": "es"})
    html = browser.get(page).get_data(as_text=True)
    assert "Oficiales que siguen su progreso" in html
    assert "1 reunión por semana durante 3 semanas" in html
    assert "Dejar de compartir con este oficial" in html


def test_a_wrong_code_says_so_and_links_nothing(app, officer, page):
    create_case(officer)
    browser = Browser(app.test_client())
    browser.get(page)
    answer = browser.post(f"{page}/cases", {"enrolment_code": WRONG}, follow_redirects=True)
    assert "No case has this code" in answer.get_data(as_text=True)
    assert consents(app) == []


def test_a_used_code_links_no_second_page(app, facilitator, officer, page):
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    other_page, _ = dana_page(app, facilitator, ["2025-03-05"])
    browser = Browser(app.test_client())
    browser.get(other_page)
    answer = browser.post(
        f"{other_page}/cases", {"enrolment_code": case["enrolment_code"]}, follow_redirects=True
    )
    assert "No case has this code, or it has been used already" in answer.get_data(as_text=True)
    assert len(consents(app)) == 1
    shown = officer.get(f"/api/v1/cases/{case['id']}").get_json()
    assert [r["date"] for r in shown["records"]] == ["2025-03-04", "2025-03-11"]


def test_linking_needs_the_forms_csrf_token(app, officer, page):
    case = create_case(officer)
    client = app.test_client()
    client.get(page)
    answer = client.post(f"{page}/cases", data={"enrolment_code": case["enrolment_code"]})
    assert answer.status_code == 400
    assert consents(app) == []


def test_guessing_codes_is_throttled(app, officer, page):
    app.config["RATELIMIT_ENABLED"] = True
    allowed = int(WRONG_ENROLMENT_CODES_ALLOWED.split()[0])
    browser = Browser(app.test_client())
    browser.get(page)
    statuses = [
        browser.post(f"{page}/cases", {"enrolment_code": WRONG}).status_code
        for _ in range(allowed + 1)
    ]
    assert statuses[:allowed] == [302] * allowed and statuses[-1] == 429
    assert consents(app) == []


def test_a_page_cannot_withdraw_another_pages_consent(app, facilitator, officer, page):
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    (consent,) = consents(app)
    other_page, _ = dana_page(app, facilitator, ["2025-03-05"])
    browser = Browser(app.test_client())
    browser.get(other_page)
    assert browser.post(f"{other_page}/cases/{consent.id}/withdraw").status_code == 404
    assert officer.get(f"/api/v1/cases/{case['id']}").get_json()["status"] != "withdrawn"


def test_the_label_is_on_no_slip_summary_or_page(app, facilitator, officer, page):
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    client = app.test_client()
    html = client.get(page).get_data(as_text=True)
    summary = client.get(f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31").data
    csv = client.get(f"{page}/summary.csv?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    slip_urls = [part.split('"')[0] for part in html.split('href="')[1:] if "/slips/" in part]
    assert slip_urls
    slips = [client.get(url).data for url in slip_urls]
    for document in [html.encode(), summary, csv.encode(), *slips]:
        assert LABEL.encode() not in document and b"DOCKET" not in document
