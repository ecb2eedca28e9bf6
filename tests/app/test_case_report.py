"""The compliance report: signed like a summary, verifiable by QR, token and upload; no label."""

from __future__ import annotations

import io

import pytest

from compliance.domain.slips.input import token_in_pdf
from tests.app.cases import LABEL, create_case, dana_page, link
from tests.conftest import make_api_user
from tests.support.pdf_tools import decode_qr_texts, pdf_text, qpdf_check, render_pages


@pytest.fixture
def officer(app):
    return make_api_user(app, "olive@example.org", "Olive O.", role="officer")


@pytest.fixture
def linked(app, facilitator, officer):
    """Dana's page with three weekly records and a revoked fourth, linked to a weekly case."""
    page, records = dana_page(
        app, facilitator, ["2025-03-04", "2025-03-05", "2025-03-11", "2025-03-18"]
    )
    revoked = facilitator.post(
        f"/api/v1/records/{records[1]['id']}/revoke", json={"reason": "Wrong person"}
    )
    assert revoked.status_code == 200
    case = create_case(officer, requirement={"per_week": 1, "weeks": 3}, min_minutes=45)
    assert link(app, page, case["enrolment_code"]).status_code == 302
    return case, records


def test_the_report_lists_the_counted_records_and_verifies_like_a_summary(
    app, client, officer, linked
):
    case, records = linked
    answer = officer.get(f"/api/v1/cases/{case['id']}/report.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    pdf = answer.data
    token = token_in_pdf(pdf)
    verdict = client.get(f"/api/v1/verify/{token}").get_json()
    assert verdict["status"] == "valid"
    listed = [r["code"] for r in verdict["summary"]["records"]]
    counted = [records[i]["code"].replace("-", "") for i in (0, 2, 3)]
    assert [code.replace("-", "") for code in listed] == counted
    report = verdict["summary"]["report"]
    assert report["met"] is True and report["status"] == "met"
    assert report["requirement"] == {"per_week": 1, "weeks": 3}
    assert (report["counted"], report["needed"], report["min_minutes"]) == (3, 3, 45)
    assert verdict["summary"]["name"] == "Dana Kowalski"
    # The QR page and an upload of the very file agree; the label is never anywhere.
    page = client.get(f"/v/{token}")
    assert page.status_code == 200 and "compliance report" in page.get_data(as_text=True)
    upload = client.post("/api/v1/verify/pdf", data={"file": (io.BytesIO(pdf), "r.pdf")})
    assert upload.get_json()["status"] == "valid"
    for shown in (verdict, page.get_data(as_text=True), upload.get_json()):
        assert LABEL not in str(shown)
    # Downloading again while nothing changed gives the same file.
    assert officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data == pdf


def test_the_printed_report_reads_right_and_scans(officer, linked, tmp_path):
    case, records = linked
    pdf = officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data
    qpdf_check(pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "COMPLIANCE REPORT" in text
    assert "1 meeting a week for 3 weeks" in text and "at least 45 minutes" in text
    assert "MET: 3 of 3 meetings counted" in text
    for i in (0, 2, 3):
        assert records[i]["code"] in text
    assert records[1]["code"] not in text  # revoked: not counted, not listed
    assert LABEL not in text and "DOCKET" not in text
    (first, *_) = render_pages(pdf, dpi=150, directory=tmp_path)
    (qr,) = decode_qr_texts(first)
    assert qr == "https://verify.example.org/v/" + token_in_pdf(pdf)


def test_an_edited_report_is_altered_and_a_later_revocation_shows(
    app, client, facilitator, officer, linked
):
    case, records = linked
    pdf = officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data
    edited = pdf + b"\n% appended\n"
    answer = client.post("/api/v1/verify/pdf", data={"file": (io.BytesIO(edited), "r.pdf")})
    assert answer.get_json()["status"] == "altered"
    facilitator.post(f"/api/v1/records/{records[2]['id']}/revoke", json={"reason": "Mistake"})
    verdict = client.get(f"/api/v1/verify/{token_in_pdf(pdf)}").get_json()
    statuses = [r["status"] for r in verdict["summary"]["records"]]
    assert statuses == ["valid", "revoked", "valid"]
    assert verdict["summary"]["meetings"] == 2
    # A new report counts what counts now.
    newer = officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data
    assert "NOT MET - behind: 2 of 3" in pdf_text(newer)


def test_no_report_without_consent_and_none_of_another_officers_case(app, officer):
    case = create_case(officer)
    assert officer.get(f"/api/v1/cases/{case['id']}/report.pdf").status_code == 409
    other = make_api_user(app, "oscar@example.org", "Oscar P.", role="officer")
    assert other.get(f"/api/v1/cases/{case['id']}/report.pdf").status_code == 404
