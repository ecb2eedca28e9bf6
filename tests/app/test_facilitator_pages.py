"""Facilitators' pages: meetings, sessions, the live roster, changes by hand, signing, revoking."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AttendanceRecord, Interval, Meeting, MeetingSession, Participant
from tests.app.journey import at, attend, create_meeting, open_session
from tests.app.web_session import signed_in

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
MEETING_FORM = {
    "name": "Tuesday Evening Recovery Circle",
    "program": "SMART Recovery",
    "platform": "Zoom",
    "timezone": "America/Chicago",
    "usual_start": "19:00",
    "usual_minutes": "60",
    "min_presence_percent": "80",
}


@pytest.fixture
def sam(app, facilitator):
    return signed_in(app, facilitator.email)


@pytest.fixture
def alex(app, other_facilitator):
    return signed_in(app, other_facilitator.email)


def new_meeting(browser, **overrides) -> str:
    browser.get("/facilitator/meetings/new")
    response = browser.post("/facilitator/meetings/new", {**MEETING_FORM, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def new_session(browser, meeting_id, on="2025-03-04", start="19:00", minutes="60") -> str:
    browser.get(f"/facilitator/meetings/{meeting_id}")
    response = browser.post(
        f"/facilitator/meetings/{meeting_id}/sessions",
        {"on_date": on, "start": start, "minutes": minutes},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def people(app, session_id) -> dict[str, Participant]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Participant).where(Participant.session_id == session_id)
        )
        found = {p.name: p for p in rows}
        for person in found.values():
            _ = list(person.intervals)
        db.session.expunge_all()
    return found


def session_page(browser, session_id) -> str:
    response = browser.get(f"/facilitator/sessions/{session_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# Meetings.


def test_a_meeting_is_created_with_its_usual_slot(app, sam):
    meeting_id = new_meeting(sam)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.usual_start == time(19, 0) and meeting.usual_minutes == 60
        assert meeting.platform == "Zoom" and meeting.timezone == "America/Chicago"
    page = sam.get(f"/facilitator/meetings/{meeting_id}").get_data(as_text=True)
    assert 'value="19:00"' in page and 'value="60"' in page  # the session form is pre-filled
    assert "Tuesday Evening Recovery Circle" in sam.get("/facilitator/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Give the meeting a name."),
        ("name", "x" * 81, "Field cannot be longer than 80 characters."),
        ("timezone", "Mars/Olympus", "Pick a zone from the list"),
        ("timezone", "", "Pick the meeting&#39;s time zone."),
        ("min_presence_percent", "0", "Enter a percentage from 1 to 100."),
        ("min_presence_percent", "", "Enter a percentage."),
        ("usual_minutes", "0", "Enter 1 to 720 minutes."),
        ("usual_start", "7pm", "Not a valid time value."),
        ("program", "Astrology", "Not a valid choice."),
    ],
)
def test_meeting_form_errors_are_shown_next_to_the_field(sam, field, value, message):
    sam.get("/facilitator/meetings/new")
    response = sam.post("/facilitator/meetings/new", {**MEETING_FORM, field: value})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in text and message in text
    assert 'aria-invalid="true"' in text


def test_a_meeting_is_edited(app, sam):
    meeting_id = new_meeting(sam)
    sam.get(f"/facilitator/meetings/{meeting_id}/edit")
    edited = {**MEETING_FORM, "name": "Tuesday Circle", "timezone": "Europe/London"}
    edited |= {"min_presence_percent": "75", "usual_start": "", "usual_minutes": ""}
    assert sam.post(f"/facilitator/meetings/{meeting_id}/edit", edited).status_code == 302
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert (meeting.name, meeting.timezone, meeting.min_presence_percent) == (
            "Tuesday Circle",
            "Europe/London",
            75,
        )
        assert meeting.usual_start is None and meeting.usual_minutes is None


def test_a_meeting_made_through_the_api_with_an_unlisted_program_can_be_edited(sam, facilitator):
    meeting = create_meeting(facilitator, program="Dharma Recovery", platform="Jitsi")
    page = sam.get(f"/facilitator/meetings/{meeting['id']}/edit").get_data(as_text=True)
    assert '<option selected value="Dharma Recovery">' in page
    assert '<option selected value="Jitsi">' in page


def test_a_session_opens_at_the_local_time_of_the_meetings_zone(app, sam):
    meeting_id = new_meeting(sam)
    session_id = new_session(sam, meeting_id, on="2025-03-04", start="19:00", minutes="60")
    with app.app_context():
        session = db.session.get(MeetingSession, session_id)
        assert session.starts_at == datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
        assert session.ends_at == datetime(2025, 3, 5, 2, 0, tzinfo=UTC)
    page = session_page(sam, session_id)
    assert "Tuesday 4 March 2025" in page and "19:00–20:00" in page
    assert "CST, UTC−06:00, America/Chicago" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"on_date": "2025-03-09", "start": "02:30", "minutes": "60"}, "does not exist"),
        ({"on_date": "", "start": "19:00", "minutes": "60"}, "Pick the date."),
        ({"on_date": "2025-03-04", "start": "19:00", "minutes": "721"}, "Enter 1 to 720"),
    ],
)
def test_session_form_errors(sam, form, message):
    meeting_id = new_meeting(sam)
    sam.get(f"/facilitator/meetings/{meeting_id}")
    response = sam.post(f"/facilitator/meetings/{meeting_id}/sessions", form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_co_facilitator_added_by_email_runs_the_meeting_too(app, sam, alex):
    meeting_id = new_meeting(sam)
    sam.get(f"/facilitator/meetings/{meeting_id}")
    unknown = sam.post(
        f"/facilitator/meetings/{meeting_id}/facilitators", {"email": "nobody@example.org"}
    )
    assert unknown.status_code == 400 and "No active facilitator" in unknown.get_data(as_text=True)
    assert alex.get(f"/facilitator/meetings/{meeting_id}").status_code == 404
    added = sam.post(
        f"/facilitator/meetings/{meeting_id}/facilitators", {"email": "ALEX@example.org"}
    )
    assert added.status_code == 302
    assert alex.get(f"/facilitator/meetings/{meeting_id}").status_code == 200
    session_id = new_session(alex, meeting_id)
    assert sam.get(f"/facilitator/sessions/{session_id}").status_code == 200


# Ownership: someone else's ids and unknown ids look the same.


def test_someone_elses_meetings_sessions_and_records_are_not_found(app, sam, alex, facilitator):
    meeting_id = new_meeting(sam)
    session_id = new_session(sam, meeting_id)
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("20:01"))
    person_id = next(iter(people(app, session_id).values())).id
    alex.get("/facilitator/")
    for url in [
        f"/facilitator/meetings/{meeting_id}",
        f"/facilitator/meetings/{meeting_id}/edit",
        f"/facilitator/sessions/{session_id}",
        f"/facilitator/sessions/{session_id}/roster",
        f"/facilitator/sessions/{session_id}/sign",
        "/facilitator/meetings/no-such-id",
        "/facilitator/sessions/no-such-id",
        "/facilitator/records/no-such-id",
    ]:
        assert alex.get(url).status_code == 404, url
    for url, form in [
        (f"/facilitator/meetings/{meeting_id}/edit", MEETING_FORM),
        (f"/facilitator/meetings/{meeting_id}/sessions", {"on_date": "2025-03-04"}),
        (f"/facilitator/meetings/{meeting_id}/facilitators", {"email": "alex@example.org"}),
        (f"/facilitator/sessions/{session_id}/reveal-checkout", {}),
        (f"/facilitator/sessions/{session_id}/people/{person_id}/exclude", {"reason": "x"}),
        (f"/facilitator/sessions/{session_id}/people/{person_id}/include", {}),
        (f"/facilitator/sessions/{session_id}/sign", {}),
    ]:
        assert alex.post(url, form).status_code == 404, url
    sam.get(f"/facilitator/sessions/{session_id}/sign")
    sam.post(f"/facilitator/sessions/{session_id}/sign")
    with app.app_context():
        record_id = db.session.scalar(sa.select(AttendanceRecord.id))
    assert sam.get(f"/facilitator/records/{record_id}").status_code == 200
    assert alex.get(f"/facilitator/records/{record_id}").status_code == 404
    assert alex.post(f"/facilitator/records/{record_id}/revoke", {"reason": "x"}).status_code == 404


# The session page.


def test_the_session_page_shows_the_code_and_an_inline_qr_without_inline_script(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    with app.app_context():
        code = db.session.get(MeetingSession, session_id).checkin_code
    page = session_page(sam, session_id)
    grouped = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert grouped in page
    assert f"https://verify.example.org/checkin/{code}" in page
    assert re.search(r'<svg role="img" aria-label="QR code of the check-in link" class="qr"', page)
    assert "<script>" not in page and re.search(r'<script src="/static/roster\.js"', page)


def test_the_check_out_code_is_shown_only_after_reveal(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    with app.app_context():
        code = db.session.get(MeetingSession, session_id).checkout_code
    grouped = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert grouped not in session_page(sam, session_id)
    response = sam.post(f"/facilitator/sessions/{session_id}/reveal-checkout")
    assert response.status_code == 302
    assert grouped in session_page(sam, session_id)
    with app.app_context():
        assert db.session.get(MeetingSession, session_id).checkout_revealed_at is not None


def test_the_roster_fragment_shows_minutes_sources_and_a_version(app, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("19:31"), "dana@example.net")
    attend(facilitator, session_id, "Dana Kowalski", at("19:33"), at("20:01"), "dana@example.net")
    fragment = sam.get(f"/facilitator/sessions/{session_id}/roster").get_data(as_text=True)
    assert "<html" not in fragment and "Dana Kowalski" in fragment
    assert "<strong>58</strong> of 60 min" in fragment and "from manual" in fragment
    assert "Gets a slip" in fragment
    version = re.search(r'data-version="(\w+)"', fragment).group(1)
    attend(facilitator, session_id, "Lee Park", at("19:10"), at("19:40"))
    again = sam.get(f"/facilitator/sessions/{session_id}/roster").get_data(as_text=True)
    assert re.search(r'data-version="(\w+)"', again).group(1) != version
    assert "Too short for a slip" in again


def test_exclusion_needs_a_reason_and_stops_the_slip(app, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("20:01"))
    attend(facilitator, session_id, "Lee Park", at("18:58"), at("20:01"))
    dana = people(app, session_id)["Dana Kowalski"]
    url = f"/facilitator/sessions/{session_id}/people/{dana.id}/exclude"
    session_page(sam, session_id)
    refused = sam.post(url, {"reason": "   "})
    assert refused.status_code == 400
    assert "Give a reason" in refused.get_data(as_text=True)
    assert people(app, session_id)["Dana Kowalski"].excluded_reason is None
    assert sam.post(url, {"reason": "left the camera off and did not answer"}).status_code == 302
    page = session_page(sam, session_id)
    assert "Excluded" in page and "left the camera off" in page
    sam.post(f"/facilitator/sessions/{session_id}/sign")
    with app.app_context():
        names = db.session.scalars(sa.select(AttendanceRecord.name)).all()
    assert names == ["Lee Park"]


def test_include_again_undoes_an_exclusion(app, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("20:01"))
    dana = people(app, session_id)["Dana Kowalski"]
    session_page(sam, session_id)
    base = f"/facilitator/sessions/{session_id}/people/{dana.id}"
    sam.post(f"{base}/exclude", {"reason": "mistake"})
    sam.post(f"{base}/include")
    assert people(app, session_id)["Dana Kowalski"].excluded_reason is None


def test_time_added_by_hand_keeps_its_reason(app, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("19:00"), at("19:20"))
    dana = people(app, session_id)["Dana Kowalski"]
    url = f"/facilitator/sessions/{session_id}/people/{dana.id}/time"
    session_page(sam, session_id)
    missing = sam.post(url, {"joined": "19:20", "left": "20:00", "reason": ""})
    assert missing.status_code == 400 and "Give a reason" in missing.get_data(as_text=True)
    ok = sam.post(url, {"joined": "19:20", "left": "20:00", "reason": "phone call, stayed on"})
    assert ok.status_code == 302
    intervals = people(app, session_id)["Dana Kowalski"].intervals
    manual = [i for i in intervals if i.note == "phone call, stayed on"]
    assert len(manual) == 1 and manual[0].source == "manual"
    assert manual[0].joined_at == datetime(2025, 3, 5, 1, 20, tzinfo=UTC)
    assert manual[0].left_at == datetime(2025, 3, 5, 2, 0, tzinfo=UTC)
    assert "<strong>60</strong> of 60 min" in session_page(sam, session_id)


def test_someone_is_added_by_hand_with_a_reason(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    session_page(sam, session_id)
    form = {
        "name": "Robin Q",
        "email": "robin@example.net",
        "joined": "19:00",
        "left": "20:00",
        "reason": "joined by phone, no check-in",
    }
    assert sam.post(f"/facilitator/sessions/{session_id}/people", form).status_code == 302
    (interval,) = people(app, session_id)["Robin Q"].intervals
    assert interval.note == "joined by phone, no check-in"
    refused = sam.post(f"/facilitator/sessions/{session_id}/people", {**form, "name": ""})
    assert refused.status_code == 400 and "Enter their name." in refused.get_data(as_text=True)
    # A second Robin with another email is someone else; a third without one could be either.
    assert sam.post(
        f"/facilitator/sessions/{session_id}/people", {**form, "email": "robin.q@example.org"}
    ).status_code == 302
    unsure = sam.post(f"/facilitator/sessions/{session_id}/people", {**form, "email": ""})
    assert unsure.status_code == 400
    assert "2 people named &#39;Robin Q&#39; are on this session&#39;s roster" in unsure.text
    with app.app_context():
        counts = db.session.scalars(
            sa.select(sa.func.count(Interval.id))
            .join(Participant)
            .where(Participant.session_id == session_id)
            .group_by(Participant.id)
        ).all()
    assert counts == [1, 1]


def test_a_check_in_without_check_out_is_closed_by_hand(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    with app.app_context():
        session = db.session.get(MeetingSession, session_id)
        person = Participant(session=session, name="Jo", name_key="jo")
        person.intervals.append(
            Interval(joined_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC), source="checkin")
        )
        db.session.add(person)
        db.session.commit()
        interval_id = person.intervals[0].id
    page = session_page(sam, session_id)
    assert "Checked in, not checked out" in page and "<strong>0</strong> of 60 min" in page
    url = f"/facilitator/sessions/{session_id}/intervals/{interval_id}/close"
    refused = sam.post(url, {"left": "19:55", "reason": ""})
    assert refused.status_code == 400
    assert sam.post(url, {"left": "19:55", "reason": "left early, told me"}).status_code == 302
    (interval,) = people(app, session_id)["Jo"].intervals
    assert interval.left_at == datetime(2025, 3, 5, 1, 55, tzinfo=UTC)
    assert interval.note == "left early, told me"
    assert "<strong>55</strong> of 60 min" in session_page(sam, session_id)


# Imports, hosts, signing, revoking.


def upload(browser, session_id, data: bytes, name="report.csv", timezone=""):
    session_page(browser, session_id)
    return browser.post(
        f"/facilitator/sessions/{session_id}/import",
        {"report": (io.BytesIO(data), name), "timezone": timezone},
        content_type="multipart/form-data",
    )


def test_a_zoom_report_is_imported_and_its_host_gets_no_slip_unless_allowed(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    response = upload(sam, session_id, (REPORTS / "zoom-participants.csv").read_bytes())
    assert response.status_code == 302
    page = session_page(sam, session_id)
    assert "Imported a zoom report" in page
    assert "Host: no slip" in page and "from zoom" in page
    host = next(p for p in people(app, session_id).values() if p.is_host)
    allow = f"/facilitator/sessions/{session_id}/people/{host.id}/host-slip"
    assert sam.post(allow, {"reason": ""}).status_code == 400
    assert sam.post(allow, {"reason": "co-host, attended as a member"}).status_code == 302
    updated = people(app, session_id)[host.name]
    assert not updated.is_host and updated.host_slip_reason == "co-host, attended as a member"
    sam.post(f"/facilitator/sessions/{session_id}/sign")
    with app.app_context():
        names = set(db.session.scalars(sa.select(AttendanceRecord.name)))
    assert host.name in names


def test_a_bad_report_shows_its_line_and_changes_nothing(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    good = (REPORTS / "zoom-participants.csv").read_text(encoding="utf-8-sig").splitlines()
    broken = "\n".join(
        [*good[:5], "Dana K,dana@example.net,not a time,3/4/2025 8:01:15 PM,29,Yes,Y"]
    )
    response = upload(sam, session_id, broken.encode())
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r"[Ll]ine 6", text), text
    assert people(app, session_id) == {}


def test_the_import_card_lists_every_shape_it_reads_with_its_header_line(sam):
    page = session_page(sam, new_session(sam, new_meeting(sam)))
    for header in (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
        "Name (Original Name),User Email,Total Duration (Minutes),Guest",
        "Full Name · User Action · Timestamp",
        "Name,Email,Duration,Time joined,Time exited",
        "&#34;Full Name&#34;,&#34;First Seen&#34;,&#34;Time in Call&#34;",
    ):
        assert header in page, header
    assert "Microsoft Teams attendance list (2020–2022)" in page


def test_two_people_of_one_name_a_report_cannot_tell_apart_are_flagged_never_summed(app, sam):
    session_id = new_session(sam, new_meeting(sam))
    report = (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        "Andrew,,3/4/2025 7:00:00 PM,3/4/2025 7:30:00 PM,30,Yes\n"
        "Andrew,,3/4/2025 7:10:00 PM,3/4/2025 8:00:00 PM,50,Yes\n"
    )
    assert upload(sam, session_id, report.encode()).status_code == 302
    page = session_page(sam, session_id)
    assert page.count("Same name as someone else here") == 2
    assert "<strong>30</strong> of 60 min" in page and "<strong>50</strong> of 60 min" in page


def test_an_import_needs_a_file_and_a_known_zone(sam):
    session_id = new_session(sam, new_meeting(sam))
    session_page(sam, session_id)
    missing = sam.post(
        f"/facilitator/sessions/{session_id}/import", {}, content_type="multipart/form-data"
    )
    assert missing.status_code == 400 and "Choose the report file" in missing.get_data(as_text=True)
    zone = upload(sam, session_id, b"x", timezone="Mars/Olympus")
    assert zone.status_code == 400 and "Pick a zone" in zone.get_data(as_text=True)


def test_signing_from_the_web_issues_records_and_allows_revoking(app, client, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("20:01"), "dana@example.net")
    attend(facilitator, session_id, "Lee Park", at("19:10"), at("19:40"))
    confirm = sam.get(f"/facilitator/sessions/{session_id}/sign").get_data(as_text=True)
    assert "Sign and issue 1 slip" in confirm and "Dana Kowalski" in confirm
    signed = sam.post(f"/facilitator/sessions/{session_id}/sign")
    assert signed.status_code == 302
    page = session_page(sam, session_id)
    assert "Session signed: 1 slip issued" in page and "Issued slips (1)" in page
    assert "revoke it here with a reason" in page and "re-issue" in page
    with app.app_context():
        record = db.session.scalars(sa.select(AttendanceRecord)).one()
        code, record_id = record.code, record.id
    grouped = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert grouped in page
    record_page = sam.get(f"/facilitator/records/{record_id}").get_data(as_text=True)
    assert "https://verify.example.org/slips/" in record_page
    # Signing again is refused with a sentence, not an error page.
    again = sam.post(f"/facilitator/sessions/{session_id}/sign")
    assert again.status_code == 302
    assert "already signed" in sam.get(again.headers["Location"]).get_data(as_text=True)
    # Revoking needs a reason; then officers see "revoked".
    url = f"/facilitator/records/{record_id}/revoke"
    assert sam.post(url, {"reason": ""}).status_code == 400
    assert sam.post(url, {"reason": "wrong name, re-issued"}).status_code == 302
    verdict = client.get(f"/api/v1/verify/{code}").get_json()
    assert verdict["status"] == "revoked" and verdict["reason"] == "wrong name, re-issued"


def test_a_signed_session_takes_no_more_changes(app, sam, facilitator):
    session_id = new_session(sam, new_meeting(sam))
    attend(facilitator, session_id, "Dana Kowalski", at("18:58"), at("20:01"))
    dana = people(app, session_id)["Dana Kowalski"]
    session_page(sam, session_id)
    sam.post(f"/facilitator/sessions/{session_id}/sign")
    response = sam.post(
        f"/facilitator/sessions/{session_id}/people/{dana.id}/exclude", {"reason": "late"}
    )
    assert response.status_code == 302
    assert "already signed" in sam.get(response.headers["Location"]).get_data(as_text=True)
    assert people(app, session_id)["Dana Kowalski"].excluded_reason is None


def test_the_dashboard_lists_sessions_waiting_for_a_signature(app, sam, facilitator):
    meeting = create_meeting(facilitator)
    open_session(facilitator, meeting["id"])  # 2025: long over
    page = sam.get("/facilitator/").get_data(as_text=True)
    assert "Waiting for your signature" in page and "Tuesday 4 March 2025" in page
