"""A compliance report checks offline like a summary: the file is re-created from its claims."""

import json

from tests.app.cases import create_case, dana_page, link
from tests.app.test_cli_verify import _edited_with_pikepdf, _offline_verdict
from tests.conftest import make_api_user


def test_offline_a_genuine_report_is_valid_and_an_edited_one_is_not(
    app, client, runner, facilitator, tmp_path
):
    officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
    page, _ = dana_page(app, facilitator, ["2025-03-04", "2025-03-11"])
    case = create_case(officer)
    link(app, page, case["enrolment_code"])
    data = officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(client.get("/.well-known/jwks.json").get_json()))
    assert _offline_verdict(app, runner, tmp_path, data, jwks).startswith("VALID")
    edited = _edited_with_pikepdf(data, _black_box_over_the_records)
    assert not _offline_verdict(app, runner, tmp_path, edited, jwks).startswith("VALID")


def _black_box_over_the_records(pdf):
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"q 0 g 72 300 400 60 re f Q"), prepend=False)
