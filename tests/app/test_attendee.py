"""Attendees: their page, slips any time, the signed summary, CSV, share links."""

import csv
import io
import re
from datetime import timedelta

import pytest

from compliance.extensions import db
from compliance.models import AttendanceRecord, ShareLink
from tests.app.journey import attend, create_meeting, open_session
from tests.app.pages import attend_from_page, page_of, page_with


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_day(user, day: str, people: list[tuple[str, str | None]], meeting=None) -> list[dict]:
    """Sign a 7–8 PM Chicago session on `day` where everyone listed stayed the hour."""
    meeting = meeting or create_meeting(user)
    session = open_session(
        user,
        meeting["id"],
        starts_at=f"{day}T19:00:00-06:00",
        ends_at=f"{day}T20:00:00-06:00",
    )
    for name, email in people:
        attend(user, session["id"], name, f"{day}T19:00:00-06:00", f"{day}T20:00:00-06:00", email)
    return user.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]


def with_page(app, records: list[dict]) -> list[dict]:
    """Return the records, filed on one page whose link each carries as "attendee_url"."""
    url = page_with(app, records)
    return [{**r, "attendee_url": url} for r in records]


@pytest.fixture
def dana(app, facilitator):
    """Three signed meetings for Dana, on her page, and one for someone else."""
    meeting = create_meeting(facilitator)
    records = []
    for day in ("2025-03-04", "2025-03-11", "2025-03-18"):
        records += sign_day(
            facilitator, day, [("Dana Kowalski", "dana@example.net"), ("Lee Park", None)], meeting
        )
    mine = with_page(app, [r for r in records if r["name"] == "Dana Kowalski"])
    others = [{**r, "attendee_url": page_of(app, r)} for r in records if r["name"] == "Lee Park"]
    return mine, others


def test_a_page_shows_its_own_records_and_no_one_elses(client, dana):
    mine, others = dana
    assert mine[0]["attendee_url"] not in {r["attendee_url"] for r in others}
    page = client.get(mine[0]["attendee_url"]).get_data(as_text=True)
    for record in mine:
        assert record["code"] in page
    for record in others:
        assert record["code"] not in page
    assert "Lee Park" not in page


def test_a_tampered_attendee_link_is_404(client, dana):
    url = dana[0][0]["attendee_url"]
    assert client.get(url[:-2] + ("AA" if not url.endswith("AA") else "BB")).status_code == 404
    assert client.get("/me/" + "x" * 30).status_code == 404


def test_revoked_records_show_as_revoked_with_the_reason(client, facilitator, dana):
    mine, _ = dana
    facilitator.post(f"/api/v1/records/{mine[0]['id']}/revoke", json={"reason": "wrong date"})
    page = client.get(mine[0]["attendee_url"]).get_data(as_text=True)
    assert "Revoked" in page and "wrong date" in page


def test_slips_download_from_the_page_byte_identical(client, dana):
    mine, _ = dana
    page = client.get(mine[0]["attendee_url"]).get_data(as_text=True)
    links = re.findall(r'href="([^"]+/slips/[^"]+\.pdf)"', page)
    assert len(links) == 3
    first = client.get(links[0]).data
    assert first.startswith(b"%PDF") and first == client.get(links[0]).data


def summary_url(record, date_from="2025-03-01", date_to="2025-03-31", kind="pdf"):
    return f"{record['attendee_url']}/summary.{kind}?from={date_from}&to={date_to}"


def test_the_summary_is_signed_and_verifies_with_every_record(client, dana):
    mine, _ = dana
    pdf = client.get(summary_url(mine[0]))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data == client.get(summary_url(mine[0])).data  # same range: same file
    answer = client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(pdf.data), "s.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert answer["status"] == "valid"
    summary = answer["summary"]
    assert summary["name"] == "Dana Kowalski"
    assert (summary["from"], summary["to"]) == ("2025-03-01", "2025-03-31")
    assert [r["code"] for r in summary["records"]] == [r["code"].replace("-", "") for r in mine]
    assert {r["status"] for r in summary["records"]} == {"valid"}


def test_a_summary_flags_a_record_revoked_after_it_was_made(client, facilitator, dana):
    mine, _ = dana
    pdf = client.get(summary_url(mine[0])).data
    facilitator.post(f"/api/v1/records/{mine[1]['id']}/revoke", json={"reason": "duplicate"})
    answer = client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(pdf), "s.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert answer["status"] == "valid"
    flagged = {r["code"]: r for r in answer["summary"]["records"]}
    assert flagged[mine[1]["code"].replace("-", "")]["status"] == "revoked"
    assert flagged[mine[1]["code"].replace("-", "")]["reason"] == "duplicate"
    assert flagged[mine[0]["code"].replace("-", "")]["status"] == "valid"


def test_the_summary_range_is_in_each_meetings_own_dates(client, dana):
    mine, _ = dana
    csv_text = client.get(summary_url(mine[0], "2025-03-11", "2025-03-11", "csv")).get_data(
        as_text=True
    )
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["date"] for r in rows] == ["2025-03-11"]  # 7 PM Chicago is 01:00 UTC next day


@pytest.mark.parametrize(
    ("query", "status"),
    [("from=2025-03-31&to=2025-03-01", 400), ("from=nope&to=2025-03-01", 400), ("", 400)],
)
def test_bad_ranges_are_refused(client, dana, query, status):
    assert client.get(f"{dana[0][0]['attendee_url']}/summary.pdf?{query}").status_code == status


def test_csv_neutralises_formulas(app, client, facilitator):
    (record,) = with_page(
        app, sign_day(facilitator, "2025-03-04", [("=cmd|' /C calc'!A0", "x@example.net")])
    )
    text = client.get(summary_url(record, kind="csv")).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def page_form_token(client, url) -> str:
    return csrf_of(client.get(url).get_data(as_text=True))


def create_share(client, attendee_url, **form):
    token = page_form_token(client, attendee_url)
    data = {"csrf_token": token, "from": "2025-03-01", "to": "2025-03-31", **form}
    return client.post(f"{attendee_url}/shares", data=data)


def share_links_on(client, attendee_url) -> list[str]:
    return re.findall(
        r'value="(https://verify\.example\.org/share/[^"]+)"',
        client.get(attendee_url).get_data(as_text=True),
    )


def test_share_link_shows_the_live_summary_and_logs_opens(app, client, facilitator, dana):
    mine, _ = dana
    url = mine[0]["attendee_url"]
    assert create_share(client, url, label="Officer Ramirez").status_code == 302
    (share,) = share_links_on(client, url)
    officer = app.test_client()
    view = officer.get(share)
    assert view.status_code == 200
    html = view.get_data(as_text=True)
    assert "Dana Kowalski" in html and "3 valid meetings" in html
    assert "dana@example.net" not in html and "Lee Park" not in html
    facilitator.post(f"/api/v1/records/{mine[2]['id']}/revoke", json={"reason": "duplicate"})
    assert "2 valid meetings" in officer.get(share).get_data(as_text=True)
    assert "Opened 2 times" in client.get(url).get_data(as_text=True)


def test_a_revoked_or_expired_share_link_is_410_and_a_forged_one_404(app, client, dana):
    url = dana[0][0]["attendee_url"]
    create_share(client, url, expires_in_days="7")
    create_share(client, url)
    first, second = share_links_on(client, url)
    with app.app_context():
        for share in db.session.query(ShareLink):
            if share.expires_at is not None:
                share.expires_at -= timedelta(days=8)
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    share_ids = re.findall(r"/shares/([^/]+)/revoke", page)
    client.post(f"{url}/shares/{share_ids[0]}/revoke", data={"csrf_token": csrf_of(page)})
    statuses = sorted(app.test_client().get(link).status_code for link in (first, second))
    assert statuses == [410, 410]
    assert app.test_client().get(first[:-3] + "abc").status_code == 404


def test_share_forms_need_csrf(app, client, dana):
    app.config["WTF_CSRF_ENABLED"] = True
    url = dana[0][0]["attendee_url"]
    client.get(url)
    response = client.post(f"{url}/shares", data={"from": "2025-03-01", "to": "2025-03-31"})
    assert response.status_code == 400
    assert share_links_on(client, url) == []


def test_the_name_on_future_slips_can_change_issued_ones_do_not(app, client, facilitator, dana):
    mine, _ = dana
    url = mine[0]["attendee_url"]
    before = client.get(mine[0]["slip_url"]).data
    client.post(
        f"{url}/name", data={"csrf_token": page_form_token(client, url), "name": "Dana M. Kowalski"}
    )
    assert client.get(mine[0]["slip_url"]).data == before
    later = attend_from_page(app, facilitator, client, url, "2025-03-25")
    assert later["name"] == "Dana M. Kowalski"
    assert later["code"].replace("-", "") in client.get(url).get_data(as_text=True).replace("-", "")


def test_spanish_page_and_slip(app, client, facilitator, dana):
    mine, _ = dana
    url = mine[0]["attendee_url"]
    client.post(
        f"{url}/language", data={"csrf_token": page_form_token(client, url), "language": "es"}
    )
    assert "Mi asistencia" in client.get(url).get_data(as_text=True)
    later = attend_from_page(app, facilitator, client, url, "2025-03-25")
    verdict = client.get(f"/api/v1/verify/{later['token']}").get_json()
    assert verdict["record"]["language"] == "es"


def test_a_long_summary_carries_only_a_reference_and_digest_in_its_qr(app, client, facilitator):
    meeting = create_meeting(facilitator)
    records = []
    for day in range(1, 13):
        records += sign_day(
            facilitator, f"2025-03-{day:02d}", [("Dana Kowalski", "dana@example.net")], meeting
        )
    records = with_page(app, records)
    pdf = client.get(summary_url(records[0])).data
    from compliance.domain.slips.input import token_in_pdf
    from compliance.domain.slips.token import read_claims_unverified

    claims = read_claims_unverified(token_in_pdf(pdf))
    assert "codes" not in claims and claims["n"] == 12 and len(claims["ld"]) == 43
    answer = client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(pdf), "s.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    assert answer["status"] == "valid" and len(answer["summary"]["records"]) == 12


def verify_summary_pdf(client, url: str, pdf: bytes | None = None) -> dict:
    pdf = pdf or client.get(url).data
    return client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(pdf), "s.pdf")},
        content_type="multipart/form-data",
    ).get_json()


def test_a_summary_whose_every_record_is_withdrawn_does_not_verify_as_valid(
    app, client, facilitator
):
    (record,) = with_page(app, sign_day(facilitator, "2025-03-04", [("Dana K", None)]))
    url = summary_url(record)
    issued = client.get(url).data
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    answer = verify_summary_pdf(client, url, issued)
    assert answer["status"] == "revoked" and "withdrawn" in answer["reason"]
    assert answer["summary"]["meetings"] == 0 and answer["summary"]["total_minutes"] == 0
    from compliance.domain.slips.input import token_in_pdf

    page = client.get(f"/v/{token_in_pdf(issued)}").get_data(as_text=True)
    assert "every record it lists has since been withdrawn" in page
    assert "verdict-valid" not in page


def test_records_of_meetings_at_the_same_time_count_once(app, client, facilitator):
    first = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    second = sign_day(facilitator, "2025-03-04", [("Dana K", None)])  # another meeting, same hour
    records = with_page(app, first + second)
    answer = verify_summary_pdf(client, summary_url(records[0]))
    summary = answer["summary"]
    assert answer["status"] == "valid"
    assert (summary["listed"], summary["valid_records"]) == (2, 2)
    assert (summary["meetings"], summary["total_minutes"]) == (1, 60)


def test_share_link_opens_are_counted_not_logged_one_by_one(app, client, dana):
    from compliance.models import AuditEntry

    url = dana[0][0]["attendee_url"]
    create_share(client, url)
    (share,) = share_links_on(client, url)
    officer = app.test_client()
    for _ in range(5):
        assert officer.get(share).status_code == 200
    assert "Opened 5 times" in client.get(url).get_data(as_text=True)
    with app.app_context():
        opened = db.session.query(AuditEntry).filter_by(event="share.opened").count()
    assert opened == 1


def test_a_page_makes_a_bounded_number_of_new_summaries_a_day(app, client, dana):
    from compliance.services.summaries import NEW_SUMMARIES_PER_DAY

    url = dana[0][0]["attendee_url"]
    for day in range(1, NEW_SUMMARIES_PER_DAY + 1):
        answer = client.get(f"{url}/summary.pdf?from=2025-03-01&to=2025-04-{day:02d}")
        assert answer.status_code == 200
    refused = client.get(f"{url}/summary.pdf?from=2025-03-01&to=2025-05-01")
    assert refused.status_code == 429 and "new summaries" in refused.get_data(as_text=True)
    again = client.get(f"{url}/summary.pdf?from=2025-03-01&to=2025-04-01")
    assert again.status_code == 200  # a range made already still downloads


def test_a_page_name_the_slip_cannot_print_is_refused_naming_the_character(app, client, dana):
    mine, _ = dana
    url = mine[0]["attendee_url"]
    answer = client.post(
        f"{url}/name", data={"csrf_token": page_form_token(client, url), "name": "Dana 🌻 K"}
    )
    page = client.get(url).get_data(as_text=True) if answer.status_code == 302 else answer.text
    assert "U+1F33B" in page
    with app.app_context():
        record = db.session.get(AttendanceRecord, mine[0]["id"])
        assert record.attendee.slip_name != "Dana 🌻 K"
