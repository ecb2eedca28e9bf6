"""Input at the edges: over-long fields, deep and huge bodies, and names in any script.

Every API body field answers 400 naming the field when it is too long (never a 500); bodies
over MAX_CONTENT_LENGTH are 413; and names with RTL text, combining marks, emoji with joiners,
or markup go all the way through attendance → signing → slip PDF → verification, shown
escaped on every page.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from datetime import date
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from compliance.config import MAX_UPLOAD_BYTES
from compliance.domain.slips import token as slip_token
from compliance.services import links, sharing
from compliance.services.attendees import attendee_for_link
from compliance.web.api.verify import MAX_SLIP_PDF_BYTES
from tests.app.journey import MEETING, WINDOW, at, attend, create_meeting, open_session
from tests.app.pages import page_of
from tests.app.web_session import Browser, signed_in
from tests.conftest import BASE_URL
from tests.support.pdf_tools import decode_qr_texts, qpdf_check, render_pages

HUGE = 1_000_000  # characters: far past every limit, well under MAX_CONTENT_LENGTH


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_refused(response, field: str) -> None:
    assert response.status_code == 400, (response.status_code, response.get_data()[:300])
    answer = response.get_json()
    assert answer["field"] == field, answer
    assert isinstance(answer["error"], str) and len(answer["error"]) < 300


# --- over-long fields, one by one ----------------------------------------------------------------

MEETING_FIELDS = {"name": 80, "program": 40, "platform": 40, "timezone": 64}
SESSION_FIELDS = {"starts_at": 64, "ends_at": 64}
ATTENDANCE_FIELDS = {"name": 80, "email": 254, "joined_at": 64, "left_at": 64, "note": 500}
REVOKE_FIELDS = {"reason": 500}
ATTENDANCE = {"name": "Dana Kowalski", "email": "dana.k@example.net",
              "joined_at": at("19:00"), "left_at": at("19:55")}  # fmt: skip


def _too_long(field: str, limit: int, size: int) -> str:
    """Return a value of `size` characters that is otherwise well-formed for the field."""
    if field == "email":
        return "a" * 64 + "@" + "b" * max(size - 69, 1) + ".org"
    if field.endswith("_at"):
        return WINDOW["starts_at"] + " " * (size - len(WINDOW["starts_at"]))
    return "x" * size


def _cases(fields: dict[str, int]):
    for field, limit in fields.items():
        for size in (limit + 1, HUGE):
            yield pytest.param(field, limit, size, id=f"{field}-{size}")


@pytest.mark.parametrize(("field", "limit", "size"), list(_cases(MEETING_FIELDS)))
def test_meeting_fields(facilitator, field, limit, size):
    body = {**MEETING, "platform": "Zoom", field: _too_long(field, limit, size)}
    assert_refused(facilitator.post("/api/v1/meetings", json=body), field)


@pytest.mark.parametrize(("field", "limit", "size"), list(_cases(SESSION_FIELDS)))
def test_session_fields(facilitator, field, limit, size):
    meeting = create_meeting(facilitator)
    body = {**WINDOW, field: _too_long(field, limit, size)}
    assert_refused(facilitator.post(f"/api/v1/meetings/{meeting['id']}/sessions", json=body), field)


@pytest.mark.parametrize(("field", "limit", "size"), list(_cases(ATTENDANCE_FIELDS)))
def test_attendance_fields(facilitator, field, limit, size):
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    body = {**ATTENDANCE, field: _too_long(field, limit, size)}
    url = f"/api/v1/sessions/{session['id']}/attendance"
    assert_refused(facilitator.post(url, json=body), field)
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()
    assert roster["attendees"] == []  # nothing half-saved


@pytest.mark.parametrize(("field", "limit", "size"), list(_cases(REVOKE_FIELDS)))
def test_revoke_fields(facilitator, field, limit, size):
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    attend(facilitator, session["id"], "Dana Kowalski", at("19:00"), at("20:00"))
    (record,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    url = f"/api/v1/records/{record['id']}/revoke"
    assert_refused(facilitator.post(url, json={field: _too_long(field, limit, size)}), field)
    assert facilitator.get(f"/api/v1/verify/{record['code']}").get_json()["status"] == "valid"


@pytest.mark.parametrize("size", [65, 100_000])
def test_report_timezone_field(facilitator, size):
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    response = facilitator.post(
        f"/api/v1/sessions/{session['id']}/participant-report",
        data={"file": (io.BytesIO(b"Name,Email\n"), "r.csv"), "timezone": "x" * size},
    )
    assert_refused(response, "timezone")


def test_every_limit_is_inclusive(facilitator):
    """A value exactly at each limit is taken: the limits are the documented ones, not less."""
    at_limits = {**MEETING, "name": "N" * 80, "program": "P" * 40, "platform": "Z" * 40}
    assert facilitator.post("/api/v1/meetings", json=at_limits).status_code == 201
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    email = "a" * 64 + "@" + "b" * 185 + ".org"
    assert len(email) == 254
    body = {**ATTENDANCE, "name": "N" * 80, "email": email, "note": "n" * 500}
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert response.status_code == 201, response.get_json()
    signed = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert signed.status_code == 200, signed.get_json()
    (record,) = signed.get_json()["records"]
    assert record["name"] == "N" * 80
    revoked = facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "r" * 500})
    assert revoked.status_code == 200, revoked.get_json()


def test_a_name_too_long_for_the_qr_code_is_refused_when_entered_by_field(facilitator):
    """80 two-byte letters pass the 80-character limit but not the QR code's byte budget: the
    name is refused when it is entered (400, naming the field), so signing is never held up."""
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    body = {"name": "É" * 80, "joined_at": at("19:00"), "left_at": at("20:00")}
    refused = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert refused.status_code == 400 and refused.get_json()["field"] == "name"
    assert "QR code" in refused.get_json()["error"]
    attend(facilitator, session["id"], "É" * 40, at("19:00"), at("20:00"))
    attend(facilitator, session["id"], "Lee Park", at("19:00"), at("20:00"))
    signed = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert signed.status_code == 200 and len(signed.get_json()["records"]) == 2


@pytest.mark.parametrize("value", [10**100, -(10**100), 80.5, "80", True, None, [], {}])
def test_presence_percent_out_of_any_range(facilitator, value):
    body = {**MEETING, "min_presence_percent": value}
    assert_refused(facilitator.post("/api/v1/meetings", json=body), "min_presence_percent")


# --- deep and huge bodies ------------------------------------------------------------------------

DEPTH = 100_000
BODY_URLS = [
    "/api/v1/meetings",
    "/api/v1/meetings/{meeting}/sessions",
    "/api/v1/sessions/{session}/attendance",
    "/api/v1/records/{record}/revoke",
]


def real_ids(facilitator, url: str) -> dict:
    """Return ids of real objects for the URL, so the body is what gets refused."""
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    ids = {"meeting": session["meeting_id"], "session": session["id"]}
    if "{record}" in url:
        attend(facilitator, session["id"], "Dana Kowalski", at("19:00"), at("20:00"))
        signed = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()
        ids["record"] = signed["records"][0]["id"]
    return ids


@pytest.mark.parametrize(
    "raw",
    [
        "[" * DEPTH + "]" * DEPTH,
        "{" + '"a":{' * DEPTH + "}" * DEPTH + "}",
        '{"name": ' + "[" * DEPTH + "]" * DEPTH + "}",
    ],
    ids=["array", "object", "inside a field"],
)
@pytest.mark.parametrize("url", BODY_URLS)
def test_deeply_nested_json_is_a_400(facilitator, url, raw):
    ids = real_ids(facilitator, url)
    response = facilitator.post(
        url.format(**ids), data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.get_data()[:300]
    assert response.get_json()["field"] in ("body", "name")


def test_a_token_nested_thousands_deep_is_invalid_not_an_error(client):
    """3,000 "[" fit the 4,096-character token limit and exhaust Python's JSON parser."""
    deep = base64.urlsafe_b64encode(b"[" * 3000).rstrip(b"=").decode()
    for token in (f"{deep}.e30.c2ln", f"eyJhbGciOiJFZERTQSJ9.{deep}.c2ln"):
        assert len(token) <= slip_token.MAX_TOKEN_LENGTH
        answer = client.get(f"/api/v1/verify/{token}")
        assert answer.status_code == 200 and answer.get_json()["status"] == "invalid"
        assert client.get(f"/v/{token}").status_code == 200


@pytest.mark.parametrize("url", BODY_URLS)
def test_a_json_body_over_the_limit_is_413(facilitator, url):
    ids = real_ids(facilitator, url)
    body = b'{"name": "' + b"x" * (MAX_UPLOAD_BYTES + 1) + b'"}'
    response = facilitator.post(
        url.format(**ids), data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and response.is_json
    assert "too large" in response.get_json()["error"]


def test_uploads_over_their_limits_are_413(client, facilitator):
    session = open_session(facilitator, create_meeting(facilitator)["id"])
    report = facilitator.post(
        f"/api/v1/sessions/{session['id']}/participant-report",
        data={"file": (io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 1)), "r.csv")},
    )
    assert report.status_code == 413 and report.is_json
    slip = b"%PDF-1.4\n" + b"x" * MAX_SLIP_PDF_BYTES
    api = client.post("/api/v1/verify/pdf", data={"file": (io.BytesIO(slip), "s.pdf")})
    assert api.status_code == 413 and api.is_json
    browser = Browser(client)
    browser.get("/verify")
    page = browser.post("/verify/pdf", {"file": (io.BytesIO(slip), "s.pdf")})
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "too large" in page.get_data(as_text=True)


# --- names in any script, all the way through ----------------------------------------------------

MARKUP = "<script>alert(1)</script>"
NAMES = [
    "مريم الحسيني",  # Arabic, right to left
    "דנה כהן-לוי",  # Hebrew
    "Dana دانا Kowalski",  # mixed directions
    "Zoe\u0308 Nu\u0301n\u0303ez",  # decomposed accents, stacked combining marks
    "प्रियंका क्षत्रिय",  # Devanagari conjuncts
    '김민준 山田 O\'Brien & "Co"',  # Korean, Japanese, quotes and an ampersand
    MARKUP,
]


@pytest.fixture
def signed_names(app, facilitator):
    """A signed session where everyone in NAMES stayed the hour; records by name."""
    session = open_session(facilitator, create_meeting(facilitator, name=f"Circle {MARKUP}")["id"])
    for number, name in enumerate(NAMES):
        attend(facilitator, session["id"], name, at("19:00"), at("20:00"), f"p{number}@example.net")
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert answer.status_code == 200, answer.get_json()
    # Names are stored and signed NFC: the decomposed accents come back composed.
    records = {
        r["name"]: {**r, "attendee_url": page_of(app, r)} for r in answer.get_json()["records"]
    }
    assert set(records) == {unicodedata.normalize("NFC", name) for name in NAMES}
    return session, {name: records[unicodedata.normalize("NFC", name)] for name in NAMES}


def assert_shown_escaped(page: str, text: str, where: str = "the page") -> None:
    assert str(escape(text)) in page, f"{text!r} is not on {where} (escaped)"
    if text != str(escape(text)):
        assert text not in page, f"{text!r} appears unescaped on {where}"


@pytest.mark.parametrize("name", NAMES)
def test_a_name_survives_signing_the_pdf_and_verification(client, signed_names, name, tmp_path):
    _, records = signed_names
    record = records[name]
    pdf = client.get(path_of(record["slip_url"]))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    qpdf_check(pdf.data)
    (page,) = render_pages(pdf.data, directory=tmp_path)
    assert decode_qr_texts(page) == [f"{BASE_URL}/v/{record['token']}"]
    name = unicodedata.normalize("NFC", name)
    assert slip_token.read_claims_unverified(record["token"])["name"] == name

    answer = client.get(f"/api/v1/verify/{record['token']}").get_json()
    assert answer["status"] == "valid" and answer["record"]["name"] == name
    assert client.get(f"/api/v1/verify/{record['code']}").get_json()["record"]["name"] == name
    uploaded = client.post(
        "/api/v1/verify/pdf", data={"file": (io.BytesIO(pdf.data), "slip.pdf")}
    ).get_json()
    assert uploaded["status"] == "valid" and uploaded["record"]["name"] == name

    for url in (path_of(record["verify_url"]), f"/verify?code={record['code']}",
                path_of(record["attendee_url"])):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_escaped(response.get_data(as_text=True), name)


def test_markup_is_escaped_on_every_page_that_shows_it(app, client, facilitator, signed_names):
    session, records = signed_names
    record = records[MARKUP]
    meeting_name = f"Circle {MARKUP}"
    with app.test_request_context():
        attendee = attendee_for_link(path_of(record["attendee_url"]).rsplit("/", 1)[1])
        share = sharing.create_share_link(attendee, date(2025, 1, 1), date(2025, 12, 31))
        share_url = path_of(links.share_url(share.id))
    public = {
        "verdict page": path_of(record["verify_url"]),
        "type-a-code page": f"/verify?code={record['code']}",
        "attendee page": path_of(record["attendee_url"]),
        "share link": share_url,
    }
    for where, url in public.items():
        response = client.get(url)
        assert response.status_code == 200, where
        page = response.get_data(as_text=True)
        assert_shown_escaped(page, MARKUP, where)
        assert_shown_escaped(page, meeting_name, where)

    sam = signed_in(app, facilitator.email)
    pages = {
        "session page": f"/facilitator/sessions/{session['id']}",
        "record page": f"/facilitator/records/{record['id']}",
        "roster fragment": f"/facilitator/sessions/{session['id']}/roster",
        "meeting page": f"/facilitator/meetings/{session['meeting_id']}",
        "dashboard": "/facilitator/",
    }
    for where, url in pages.items():
        response = sam.get(url)
        assert response.status_code == 200, where
        page = response.get_data(as_text=True)
        assert "<script>alert" not in page, where
        if where in ("session page", "record page", "roster fragment"):
            assert_shown_escaped(page, MARKUP, where)
        if where in ("meeting page", "dashboard", "session page"):
            assert_shown_escaped(page, meeting_name, where)

    summary = client.get(
        f"{path_of(record['attendee_url'])}/summary.pdf?from=2025-01-01&to=2025-12-31"
    )
    assert summary.status_code == 200
    qpdf_check(summary.data)


def test_markup_typed_at_check_in_is_escaped(app, clock, codes):
    browser = Browser(app.test_client())
    assert browser.get(f"/checkin/{codes['checkin']}").status_code == 200
    response = browser.post(f"/checkin/{codes['checkin']}", {"name": MARKUP})
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert_shown_escaped(page, MARKUP)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/meetings", {"name": "\ud800", "program": "AA", "timezone": "UTC"}, "name"),
        ("/api/v1/meetings", {"name": "C", "program": "A\udfff", "timezone": "UTC"}, "program"),
        ("/api/v1/meetings", {"name": "Circle", "program": "AA", "timezone": "UTC",
                              "platform": "\ud83d"}, "platform"),  # fmt: skip
    ],
)
def test_a_lone_surrogate_in_any_field_is_422_naming_it(facilitator, url, body, field):
    answer = facilitator.post(url, json=body)
    assert answer.status_code == 422 and answer.get_json()["field"] == field


@pytest.mark.parametrize("zone", ["localtime", "Factory", "US/Central", "posixrules"])
def test_only_canonical_time_zones_are_accepted(facilitator, zone):
    body = {"name": "Circle", "program": "AA", "timezone": zone}
    answer = facilitator.post("/api/v1/meetings", json=body)
    assert answer.status_code == 400 and answer.get_json()["field"] == "timezone"
