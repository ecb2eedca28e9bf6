"""The OpenAPI document is built from what the views declare and check, so it cannot drift:
every route is in it, and the bodies it shows are the ones the views refuse by."""

from __future__ import annotations

import io
import re

import pytest
from pydantic import ValidationError

from compliance.web.api import answers
from compliance.web.api.operations import OPERATIONS
from tests.app.journey import (
    MEETING,
    WINDOW,
    at,
    attend,
    create_meeting,
    open_session,
    signed_session,
)
from tests.conftest import make_api_user

API = "/api/v1"
METHODS = {"get", "post", "put", "patch", "delete"}
# A body each call accepts, to spoil one field at a time.
VALID_BODIES = {
    "MeetingInput": MEETING,
    "SessionInput": WINDOW,
    "AttendanceInput": {"name": "Lee Park", "joined_at": at("19:00"), "left_at": at("20:00")},
    "RenameInput": {"name": "Pat Quinn"},
    "RevokeInput": {"reason": "Issued to the wrong person"},
    "CaseInput": {"label": "24-CR-1", "requirement": {"meetings": 3, "days": 30}},
}


def _api_routes(app) -> set[tuple[str, str]]:
    return {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(API), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@pytest.fixture
def document(client) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_route_is_documented_and_nothing_else(app, document):
    documented = {
        (path, method)
        for path, operations in document["paths"].items()
        for method in operations
        if method in METHODS
    }
    assert documented == _api_routes(app)
    api_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(OPERATIONS) == {e for e in api_endpoints if e.startswith("api.")}


def test_every_reference_in_the_document_resolves(document):
    names = set(document["components"]["schemas"])
    references = re.findall(r'"#/components/schemas/([^"]+)"', str(document).replace("'", '"'))
    assert references and set(references) <= names


class World:
    """Real objects to aim the body calls at, with a facilitator's and an officer's token."""

    def __init__(self, app):
        self.facilitator = make_api_user(app, "sam@example.org")
        self.officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
        meeting = create_meeting(self.facilitator)
        session = open_session(self.facilitator, meeting["id"])
        person = attend(self.facilitator, session["id"], "Dana K", at("19:00"), at("20:00"))
        _, records = signed_session(self.facilitator)
        self.ids = {
            "meeting_id": meeting["id"],
            "session_id": session["id"],
            "attendee_id": person["id"],
            "record_id": records[0]["id"],
        }

    def call(self, path: str, method: str, body: dict):
        user = self.officer if path.startswith("/cases") else self.facilitator
        url = API + path.format(**self.ids)
        return user.client.open(url, method=method.upper(), json=body, headers=user._headers())


def _body_operations(document) -> list[tuple[str, str, str]]:
    return [
        (path, method, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def _schema(document, ref: str) -> tuple[str, dict]:
    name = ref.rsplit("/", 1)[1]
    return name, document["components"]["schemas"][name]


def test_an_empty_body_is_refused_naming_the_first_field_the_document_requires(app, document):
    world = World(app)
    operations = _body_operations(document)
    assert {_schema(document, ref)[0] for _, _, ref in operations} == set(VALID_BODIES)
    for path, method, ref in operations:
        _, schema = _schema(document, ref)
        answer = world.call(path, method, {})
        assert answer.status_code in (400, 422), (path, answer.get_json())
        assert answer.get_json()["field"] == schema["required"][0], path


def _bounded_text_fields(schema: dict):
    for field, shown in schema["properties"].items():
        for option in shown.get("anyOf", [shown]):
            if option.get("type") == "string" and "maxLength" in option:
                yield field, option["maxLength"]


def test_the_documented_length_bounds_are_the_ones_refused(app, document):
    world = World(app)
    checked = 0
    for path, method, ref in _body_operations(document):
        name, schema = _schema(document, ref)
        for field, longest in _bounded_text_fields(schema):
            body = {**VALID_BODIES[name], field: "a" * (longest + 1)}
            answer = world.call(path, method, body)
            assert answer.status_code in (400, 422), (path, field)
            refusal = answer.get_json()
            assert refusal["field"] == field, (path, refusal)
            assert f"at most {longest} characters" in refusal["error"], (path, refusal)
            checked += 1
    assert checked >= 10


def test_a_body_field_the_document_calls_an_integer_refuses_true(app, document):
    world = World(app)
    meeting = document["components"]["schemas"]["MeetingInput"]
    assert meeting["properties"]["min_presence_percent"]["type"] == "integer"
    answer = world.call("/meetings", "post", {**MEETING, "min_presence_percent": True})
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "min_presence_percent must be a whole number.",
        "field": "min_presence_percent",
    }


def _form_schema(document, path: str) -> dict:
    body = document["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]
    return _schema(document, body["schema"]["$ref"])[1]


def test_the_upload_fields_the_document_shows_are_the_ones_refused(app, document):
    world = World(app)
    report = "/sessions/{session_id}/participant-report"
    schema = _form_schema(document, report)
    assert schema["required"] == ["file"]
    longest = schema["properties"]["timezone"]["maxLength"]
    answer = world.call(report, "post", None)
    assert answer.status_code == 400 and answer.get_json()["field"] == "file"
    url = API + report.format(**world.ids)
    not_a_file = {"file": "just text", "timezone": "America/Chicago"}
    answer = world.facilitator.post(url, data=not_a_file, content_type="multipart/form-data")
    assert answer.status_code == 400 and answer.get_json()["field"] == "file"
    too_long = {
        "file": (io.BytesIO(b"Name,Email\n"), "report.csv"),
        "timezone": "a" * (longest + 1),
    }
    answer = world.facilitator.post(url, data=too_long, content_type="multipart/form-data")
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": f"timezone must be at most {longest} characters.",
        "field": "timezone",
    }
    assert _form_schema(document, "/verify/pdf")["required"] == ["file"]
    answer = world.facilitator.post(
        f"{API}/verify/pdf", data={}, content_type="multipart/form-data"
    )
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "Attach the slip PDF as the multipart field 'file'.",
        "field": "file",
    }


def _fits(model, answer) -> dict:
    """Return the answer's JSON after checking it has exactly the model's keys and types."""
    assert answer.status_code < 300, answer.get_json()
    model.model_validate(answer.get_json())  # extra keys are refused (additionalProperties)
    return answer.get_json()


def test_real_answers_have_exactly_the_documented_keys(app):
    world = World(app)
    sam, olive, ids = world.facilitator, world.officer, world.ids
    _fits(answers.Meeting, sam.get(f"{API}/meetings/{ids['meeting_id']}"))
    _fits(answers.Session, sam.get(f"{API}/sessions/{ids['session_id']}"))
    roster = _fits(answers.Roster, sam.get(f"{API}/sessions/{ids['session_id']}/roster"))
    assert roster["attendees"][0]["intervals"]
    signed = _fits(answers.Finalized, sam.post(f"{API}/sessions/{ids['session_id']}/finalize"))
    record = signed["records"][0]
    verdict = _fits(answers.Verdict, sam.get(f"{API}/verify/{record['code']}"))
    assert verdict["status"] == "valid" and verdict["record"]
    revoke = {"json": {"reason": "Issued to the wrong person"}}
    _fits(answers.Record, sam.post(f"{API}/records/{record['id']}/revoke", **revoke))
    assert _fits(answers.Verdict, sam.get(f"{API}/verify/{record['token']}"))["reason"]
    case = _fits(answers.Case, olive.post(f"{API}/cases", json=VALID_BODIES["CaseInput"]))
    _fits(answers.Case, olive.get(f"{API}/cases/{case['id']}"))
    _fits(answers.CaseList, olive.get(f"{API}/cases"))


def test_a_summary_and_a_report_verdict_have_exactly_the_documented_keys(
    app, client, facilitator
):
    from compliance.domain.slips.input import token_in_pdf
    from tests.app.cases import create_case, dana_page, link

    officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
    page, records = dana_page(app, facilitator, ["2025-03-04", "2025-03-11", "2025-03-12"])
    case = create_case(officer, requirement={"per_week": 1, "weeks": 3})
    assert link(app, page, case["enrolment_code"]).status_code == 302
    summary = client.get(f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31").data
    report = officer.get(f"{API}/cases/{case['id']}/report.pdf").data
    revoke = {"json": {"reason": "Issued to the wrong person"}}
    _fits(answers.Record, facilitator.post(f"{API}/records/{records[2]['id']}/revoke", **revoke))
    shown = _fits(answers.Verdict, client.get(f"{API}/verify/{token_in_pdf(summary)}"))
    assert shown["summary"]["records"][2]["reason"] and "report" not in shown["summary"]
    shown = _fits(answers.Verdict, client.get(f"{API}/verify/{token_in_pdf(report)}"))
    assert shown["summary"]["report"]["requirement"] == {"per_week": 1, "weeks": 3}


def test_an_undocumented_key_in_an_answer_is_caught():
    with pytest.raises(ValidationError):
        answers.ImportResult.model_validate(
            {"id": "i", "format": "zoom", "rows": 1, "participants": 1, "surprise": True}
        )
