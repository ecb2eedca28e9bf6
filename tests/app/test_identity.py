"""Whose slip is it: every slip, page and summary bound to the person the facilitator signed off.

One test (or a table of them) per finding of the identity issue; each failed on the main
before the change. The fixation attack is also replayed in real Chromium
(tests/browser/test_identity_fixation.py).
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AuditEntry, User
from compliance.services import accounts
from tests.app.checkin_steps import END, START, check_in, reveal
from tests.app.journey import at, attend, create_meeting, open_session
from tests.app.pages import attend_from_page, page_with
from tests.app.test_attendee import sign_day
from tests.app.web_session import Browser, csrf_from, give_password, signed_in

PAGE_LINK = re.compile(r'value="(https://verify\.example\.org/me/[^"]+)"')


def path_of(url: str) -> str:
    return url.removeprefix("https://verify.example.org")


def page_link_in(html: str) -> str | None:
    found = PAGE_LINK.search(html)
    return path_of(found.group(1)) if found else None


def checked_in_page(browser: Browser, code: str, name: str, email: str = "") -> str:
    """Check in and return the page the browser lands on."""
    answer = check_in(browser, code, name=name, email=email)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser.get(answer.headers["Location"]).get_data(as_text=True)


def sign_at_end(app, clock, facilitator, session_id: str) -> list[dict]:
    clock.now = END
    answer = facilitator.post(f"/api/v1/sessions/{session_id}/finalize")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["records"]


def close_by_hand(facilitator, session_id: str, name: str) -> None:
    """The facilitator records the whole hour for `name` (as the roster shows them)."""
    attend(facilitator, session_id, name, at("19:00"), at("20:00"))


# 1. Fixation --------------------------------------------------------------------------------


def test_opening_someones_page_link_does_not_tie_the_next_check_in_to_it(
    app, clock, codes, facilitator
):
    mallory = Browser(app.test_client())
    clock.now = START
    mallorys_page = page_link_in(checked_in_page(mallory, codes["checkin"], "Mallory M"))
    victim = Browser(app.test_client())
    victim.get(mallorys_page)  # e.g. through a redirect from another site
    page = checked_in_page(victim, codes["checkin"], "Vera Victim", "vera@example.net")
    victims_page = page_link_in(page)
    assert victims_page not in (None, mallorys_page)
    close_by_hand(facilitator, codes["id"], "Vera Victim")
    records = {r["name"]: r for r in sign_at_end(app, clock, facilitator, codes["id"])}
    assert set(records) == {"Vera Victim"}
    assert records["Vera Victim"]["code"] not in mallory.get(mallorys_page).get_data(as_text=True)
    mine = victim.get(victims_page).get_data(as_text=True)
    assert records["Vera Victim"]["code"] in mine


# 2. Laundered names ------------------------------------------------------------------------


def test_the_slip_prints_the_name_the_roster_showed_not_the_pages(app, clock, codes, facilitator):
    carls_page = page_with(
        app, sign_day(facilitator, "2025-02-04", [("Carl Cole", None)]), name="Carl Cole"
    )
    frank = Browser(app.test_client())
    clock.now = START
    checked_in_page(frank, codes["checkin"], "Frank Friend", "carl@example.net")
    roster = facilitator.get(f"/api/v1/sessions/{codes['id']}/roster").get_json()["attendees"]
    assert [(p["name"], p["name_source"]) for p in roster] == [("Frank Friend", "checkin")]
    close_by_hand(facilitator, codes["id"], "Frank Friend")
    (record,) = sign_at_end(app, clock, facilitator, codes["id"])
    assert record["name"] == "Frank Friend"
    verdict = app.test_client().get(f"/api/v1/verify/{record['token']}").get_json()
    assert verdict["record"]["name"] == "Frank Friend"
    assert record["code"] not in app.test_client().get(carls_page).get_data(as_text=True)


def test_a_page_rename_shows_on_the_roster_before_signing_and_is_what_prints(
    app, facilitator
):
    client = app.test_client()
    (first,) = sign_day(facilitator, "2025-03-04", [("Dana Kowalski", None)])
    page = path_of(page_with(app, [first]))
    token = csrf_from(client.get(page).get_data(as_text=True))
    client.post(f"{page}/name", data={"name": "Dana M. Kowalski", "csrf_token": token})
    later = attend_from_page(app, facilitator, client, page, "2025-03-11")
    assert later["name"] == "Dana M. Kowalski"


# 3. Summaries and share pages show the names on their slips ---------------------------------


def test_summaries_and_share_pages_show_each_slips_own_name(app, facilitator):
    client = app.test_client()
    (first,) = sign_day(facilitator, "2025-03-04", [("Dana Kowalski", None)])
    page = path_of(page_with(app, [first], name="Dana Kowalski"))
    token = csrf_from(client.get(page).get_data(as_text=True))
    client.post(f"{page}/name", data={"name": "Dana Marie K", "csrf_token": token})
    second = attend_from_page(app, facilitator, client, page, "2025-03-11")
    pdf = client.get(f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31").data
    answer = client.post(
        "/api/v1/verify/pdf", data={"file": (io.BytesIO(pdf), "s.pdf")}
    ).get_json()
    summary = answer["summary"]
    assert summary["name"] == "Dana Kowalski / Dana Marie K"
    assert [(r["code"], r["name"]) for r in summary["records"]] == [
        (first["code"].replace("-", ""), "Dana Kowalski"),
        (second["code"].replace("-", ""), "Dana Marie K"),
    ]
    csv_text = client.get(f"{page}/summary.csv?from=2025-03-01&to=2025-03-31").text
    assert "Dana Kowalski," in csv_text and "Dana Marie K," in csv_text
    share = new_share_link(client, page)
    shared = app.test_client().get(share).get_data(as_text=True)
    assert ">Dana Kowalski</td>" in shared and ">Dana Marie K</td>" in shared


def new_share_link(client, page: str) -> str:
    """Make a share link for March 2025 on the page; return its path."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    form = {"from": "2025-03-01", "to": "2025-03-31", "csrf_token": token}
    assert client.post(f"{page}/shares", data=form).status_code == 302
    shown = client.get(page).get_data(as_text=True)
    (share,) = re.findall(r'value="https://verify\.example\.org(/share/[^"]+)"', shown)
    return share


# 4. Shared devices ---------------------------------------------------------------------------


def test_not_you_forgets_everything_and_the_next_person_gets_their_own_page(
    app, clock, codes, facilitator
):
    library = Browser(app.test_client())
    clock.now = START
    first = checked_in_page(library, codes["checkin"], "Ann Early")
    anns_page = page_link_in(first)
    library.get(anns_page)
    library.post("/checkin/forget", {"code": codes["checkin"]})
    fresh = library.get(f"/checkin/{codes['checkin']}").get_data(as_text=True)
    assert "Ann Early" not in fresh and anns_page not in fresh and 'name="name"' in fresh
    second = checked_in_page(library, codes["checkin"], "Bob Later")
    assert page_link_in(second) not in (None, anns_page)
    close_by_hand(facilitator, codes["id"], "Bob Later")
    (record,) = sign_at_end(app, clock, facilitator, codes["id"])
    assert record["code"] not in library.get(anns_page).get_data(as_text=True)


# 5. Membership oracle ------------------------------------------------------------------------


def _comparable(html: str) -> str:
    html = PAGE_LINK.sub('value="LINK"', html)
    html = re.sub(r'href="https://verify\.example\.org/me/[^"]+"', 'href="LINK"', html)
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "CSRF", html)
    html = re.sub(r'value="[^"]{40,}"', 'value="CSRF"', html)
    return html


def test_a_check_in_answers_the_same_for_a_known_and_an_unknown_email(
    app, clock, codes, facilitator
):
    page_with(app, sign_day(facilitator, "2025-02-04", [("Kim Known", "kim@example.net")]))
    clock.now = START
    known = checked_in_page(Browser(app.test_client()), codes["checkin"], "Pat", "kim@example.net")
    unknown = checked_in_page(
        Browser(app.test_client()), codes["checkin"], "Pat", "nobody@example.net"
    )
    assert _comparable(known) == _comparable(unknown)
    assert "kim@example.net" not in known


# 6. Facilitators never reach attendees' pages ------------------------------------------------


def test_facilitator_answers_and_pages_carry_no_attendee_link(app, clock, codes, facilitator, sam):
    dana = Browser(app.test_client())
    clock.now = START
    checked_in_page(dana, codes["checkin"], "Dana Kowalski", "dana@example.net")
    attend(facilitator, codes["id"], "Dana Kowalski", at("19:00"), at("20:00"), "dana@example.net")
    (record,) = sign_at_end(app, clock, facilitator, codes["id"])
    assert record["attendee_url"] is None
    for url in (f"/facilitator/sessions/{codes['id']}", f"/facilitator/records/{record['id']}"):
        assert "/me/" not in sam.get(url).get_data(as_text=True)
    # A one-minute entry with someone's email files nothing on their page either.
    victim_page = path_of(
        page_with(app, sign_day(facilitator, "2025-02-04", [("Vic Tim", "vic@example.net")]))
    )
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    attend(facilitator, session["id"], "Vic Tim", at("19:00"), at("20:00"), "vic@example.net")
    (probe,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    assert probe["attendee_url"] is None
    assert probe["code"] not in app.test_client().get(victim_page).get_data(as_text=True)


# 7. Admin takeover ---------------------------------------------------------------------------


@pytest.fixture
def admin(app):
    with app.app_context():
        accounts.create_user("root@example.org", "Root A.", "admin")
    return signed_in(app, "root@example.org")


def _user_id(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def test_an_admin_cannot_take_over_an_account_that_has_a_password(app, admin, facilitator):
    give_password(app, facilitator.email)
    user_id = _user_id(app, facilitator.email)
    admin.get("/admin/users")
    refused = admin.post(f"/admin/users/{user_id}/link")
    assert refused.status_code == 303
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "No link made" in page and "/set-password/" not in page

    # Once the user asks for a reset, the admin may issue a link: both names are in the log.
    visitor = Browser(app.test_client())
    visitor.get("/forgot-password")
    asked = visitor.post("/forgot-password", {"email": facilitator.email})
    nobody = Browser(app.test_client())
    nobody.get("/forgot-password")
    same = nobody.post("/forgot-password", {"email": "ghost@example.org"})
    assert asked.status_code == same.status_code == 200
    assert _comparable(asked.text) == _comparable(same.text)
    admin.get("/admin/users")
    issued = admin.post(f"/admin/users/{user_id}/link").get_data(as_text=True)
    link = re.search(r"https://verify\.example\.org(/set-password/[^\"<\s]+)", issued).group(1)
    owner = Browser(app.test_client())
    owner.get(link)
    assert owner.post(link, {"password": "a brand new pass", "confirm": "a brand new pass"}
                      ).status_code == 302  # fmt: skip
    with app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)).all()
        issued_entry = next(e for e in entries if e.event == "user.password_link_issued")
        assert (issued_entry.actor, issued_entry.subject) == ("root@example.org", facilitator.email)
        set_entry = [e for e in entries if e.event == "user.password_set"][-1]
        assert "root@example.org" in set_entry.details


# 8. Signing before the meeting happened ------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("2099-01-01T19:00:00+00:00", "2099-01-01T20:00:00+00:00"),
        ("2025-03-04T19:00:00-06:00", "2025-03-04T20:00:00-06:00"),  # at 19:59 that day
    ],
)
def test_a_session_signs_only_after_its_scheduled_end(app, facilitator, starts, ends):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"], starts_at=starts, ends_at=ends)
    attend(facilitator, session["id"], "Dana Kowalski", starts, ends)
    from datetime import datetime

    app.config["CLOCK"] = lambda: min(
        datetime.fromisoformat(ends) - timedelta(minutes=1),
        datetime.fromisoformat("2026-11-29T00:00:00+00:00"),
    )
    early = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert early.status_code == 409
    assert "only after it has ended" in early.get_json()["error"]
    assert facilitator.get(f"/api/v1/sessions/{session['id']}/roster").status_code == 200
    app.config["CLOCK"] = lambda: datetime.fromisoformat(ends)
    if ends.startswith("2025"):
        assert facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").status_code == 200


# 9. Sign-out ends the session on the server --------------------------------------------------


def test_a_cookie_copied_before_sign_out_no_longer_works(app, facilitator):
    sam = signed_in(app, facilitator.email)
    copied = sam.client.get_cookie("session").value
    assert sam.get("/facilitator/").status_code == 200
    sam.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    answer = thief.get("/facilitator/")
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]


# 10. Names -----------------------------------------------------------------------------------


def test_a_name_in_nfc_and_nfd_is_one_person(app, facilitator):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    nfc, nfd = (unicodedata.normalize(form, "Zoë Núñez") for form in ("NFC", "NFD"))
    assert nfc != nfd
    attend(facilitator, session["id"], nfc, at("19:00"), at("19:30"))
    attend(facilitator, session["id"], nfd, at("19:30"), at("20:00"))
    roster = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()["attendees"]
    assert [(p["name"], p["present_minutes"], p["qualifies"]) for p in roster] == [
        (nfc, 60, True)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "Carl\u202eeloC",  # right-to-left override: reads "Carl Cole" backwards
        "Car\u200bl",  # zero-width space
        "Carl\u2066Cole\u2069",  # isolate
        "Carl\u200fCole",  # right-to-left mark
        "Carl\ufeffCole",  # zero-width no-break space
        "Carl\u00adCole",  # soft hyphen
        "Carl\u200dCole",  # zero-width joiner between Latin letters
        "Carl\ud800",  # a lone surrogate
    ],
)
def test_invisible_and_reordering_characters_are_refused_naming_the_field(
    app, clock, codes, facilitator, name
):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    body = {"name": name, "joined_at": at("19:00"), "left_at": at("20:00")}
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    invalid_unicode = "\ud800" in name
    assert answer.status_code == (422 if invalid_unicode else 400)
    assert answer.get_json()["field"] == "name" and "U+" in answer.get_json()["error"]
    if "\ud800" in name:
        return  # a form post cannot carry a lone surrogate
    browser = Browser(app.test_client())
    clock.now = START
    refused = check_in(browser, codes["checkin"], name=name, email="")
    assert refused.status_code == 400 and "U+" in refused.get_data(as_text=True)
    roster = facilitator.get(f"/api/v1/sessions/{codes['id']}/roster").get_json()["attendees"]
    assert roster == []


@pytest.mark.parametrize(
    "name", ["فاطمه\u200cزاده", "क्\u200dष", "Zoë Núñez", "O'Brien-Smith"]
)
def test_names_that_need_a_joiner_are_kept(app, facilitator, name):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    body = {"name": name, "joined_at": at("19:00"), "left_at": at("20:00")}
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert answer.status_code == 201, answer.get_json()


@pytest.mark.parametrize(
    ("name", "named"),
    [("Sam 👩🏽\u200d⚕️ Lee", "U+1F469"), ("Dana 🙂", "U+1F642"), ("Ana \U00013000", "U+13000")],
)
def test_names_the_slip_cannot_print_are_refused_naming_the_character(
    app, clock, codes, facilitator, name, named
):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    body = {"name": name, "joined_at": at("19:00"), "left_at": at("20:00")}
    answer = facilitator.post(f"/api/v1/sessions/{session['id']}/attendance", json=body)
    assert answer.status_code in (400, 422), answer.get_json()
    assert answer.get_json()["field"] == "name" and named in answer.get_json()["error"]
    browser = Browser(app.test_client())
    clock.now = START
    refused = check_in(browser, codes["checkin"], name=name, email="")
    assert refused.status_code == 400 and named in refused.get_data(as_text=True)
    roster = facilitator.get(f"/api/v1/sessions/{codes['id']}/roster").get_json()["attendees"]
    assert roster == []


# 11. Caching ----------------------------------------------------------------------------------


def test_private_pages_and_shared_summaries_are_never_cached(app, facilitator):
    client = app.test_client()
    page = path_of(page_with(app, sign_day(facilitator, "2025-03-04", [("Dana K", None)])))
    share = new_share_link(client, page)
    for url in (page, f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31",
                f"{page}/summary.csv?from=2025-03-01&to=2025-03-31", share):  # fmt: skip
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "no-store" in answer.headers["Cache-Control"], url


def test_a_check_in_from_the_page_joins_the_page_and_checks_out_there_too(
    app, clock, codes, facilitator, sam
):
    client = app.test_client()
    page = path_of(page_with(app, sign_day(facilitator, "2025-02-04", [("Dana K", None)])))
    clock.now = START
    token = csrf_from(client.get(page).get_data(as_text=True))
    answer = client.post(f"{page}/checkin", data={"code": codes["checkin"], "csrf_token": token})
    assert answer.status_code == 302
    status = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "You're checked in" in status and page_link_in(status) == page
    reveal(sam, codes["id"])
    clock.now = END
    token = csrf_from(client.get(page).get_data(as_text=True))
    out = client.post(f"{page}/checkin", data={"code": codes["checkout"], "csrf_token": token})
    assert out.status_code == 302 and "checked out" in client.get(page).get_data(as_text=True)
    (record,) = sign_at_end(app, clock, facilitator, codes["id"])
    assert record["name"] == "Dana K"
    assert record["code"] in client.get(page).get_data(as_text=True)


def test_a_check_in_page_that_shows_a_page_link_is_never_cached(app, clock, codes):
    browser = Browser(app.test_client())
    clock.now = START
    answer = check_in(browser, codes["checkin"], name="Dana K", email="")
    shown = browser.client.get(answer.headers["Location"])
    assert page_link_in(shown.get_data(as_text=True)) is not None
    assert "no-store" in shown.headers["Cache-Control"]
