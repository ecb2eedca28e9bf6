"""Every route × every kind of caller: who may do what, and what everybody else gets.

The table below must name every (endpoint, method) the app serves: a new route fails
`test_every_route_is_in_the_matrix` until a row says who may call it. Each row is asked by six
callers:

- anonymous: no cookie, no token, no link of anyone's;
- attendee: the browser that opened an attendee's private link (its session remembers them);
- facilitator_a: runs the meeting (signed in on the web, and holds an API token);
- facilitator_b: another facilitator, who does not run it (web and token);
- officer: a signed-in officer (web) who also holds an officer API token;
- admin: a signed-in admin (web) who also holds an admin API token.

Capability links (slip downloads, attendee pages, share links, set-password links) are the
credential themselves: a row with the real link answers the same to every caller, and a row
with a forged link answers 404 to every caller. Signed-in state never widens what a link shows.

The world (meeting, sessions, records, share links) is built once per module and database.
Requests that change something are aimed at objects kept for the purpose, so the rows can run
in any order. Expected statuses are written from the contract, not copied from the app.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed

from compliance import create_app
from compliance.extensions import db
from compliance.models import ApiToken, CaseConsent, Interval, MeetingSession, Participant, User
from compliance.services import (
    accounts,
    case_consents,
    key_rotation,
    keyring,
    links,
    passwords,
    sharing,
)
from compliance.services.attendees import attendee_for_link
from tests.app.journey import at
from tests.app.pages import page_of
from tests.app.web_session import Browser, signed_in
from tests.conftest import BASE_URL, ApiUser, make_api_user

ROLES = ("anonymous", "attendee", "facilitator_a", "facilitator_b", "officer", "admin")
SIGN_IN = "302 to /sign-in"  # a redirect to the sign-in page (with ?next=)
REDIRECT = "302 elsewhere"  # a redirect that is not to the sign-in page

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "reports"
S1_DAY, S2_DAY = "2025-02-25", "2025-03-04"
# The check-in clock: 19:05 in Chicago on the open session's day.
CHECKIN_NOW = datetime(2025, 3, 5, 1, 5, tzinfo=UTC)

DANA = ("Dana Kowalski", "dana.k@example.net")
OTHERS = [("Lee Park", "lee.p@example.net"), ("Kim Nguyen", "kim.n@example.net")]
TOO_SHORT = ("Pat Short", "pat.s@example.net")
CASE_LABEL = "DOCKET 25-CR-0042"  # the officer's own reference: shown to nobody else


def day_at(day: str, clock: str) -> str:
    return f"{day}T{clock}:00-06:00"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def forged(link_path: str) -> str:
    """Return the path with the last characters of its signed token changed."""
    head, dot, ext = (
        link_path.rpartition(".") if link_path.endswith(".pdf") else (link_path, "", "")
    )
    swapped = head[:-2] + ("AA" if not head.endswith("AA") else "BB")
    return swapped + dot + ext


# --- the world ----------------------------------------------------------------------------------


@dataclass
class Caller:
    """What one kind of caller holds: a session cookie, its CSRF token, an API token."""

    cookie: str | None = None
    csrf: str | None = None
    token: str | None = None
    email: str | None = None  # who signed in, for rows that end the sign-in


@dataclass
class World:
    app: object
    callers: dict[str, Caller]
    ids: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, list[str]] = field(default_factory=dict)
    pdf: bytes = b""


def _anonymous_caller(app) -> Caller:
    browser = Browser(app.test_client())
    browser.get("/checkin")
    return Caller(cookie=_cookie(browser), csrf=browser.token)


def _cookie(browser: Browser) -> str | None:
    cookie = browser.client.get_cookie("session")
    return cookie.value if cookie else None


def _web_and_token(app, user: ApiUser | None, email: str) -> Caller:
    browser = signed_in(app, email)
    if browser.token is None:
        browser.get("/checkin")
    token = user.token if user else None
    return Caller(cookie=_cookie(browser), csrf=browser.token, token=token, email=email)


def _finalized_session(fac_a: ApiUser, meeting_id: str) -> tuple[str, list[dict]]:
    session = fac_a.post(
        f"/api/v1/meetings/{meeting_id}/sessions",
        json={"starts_at": day_at(S1_DAY, "19:00"), "ends_at": day_at(S1_DAY, "20:00")},
    ).get_json()
    for name, email in [DANA, *OTHERS]:
        body = {
            "name": name,
            "email": email,
            "joined_at": day_at(S1_DAY, "18:58"),
            "left_at": day_at(S1_DAY, "20:01"),
        }
        assert (
            fac_a.post(f"/api/v1/sessions/{session['id']}/attendance", json=body).status_code == 201
        )
    short = {
        "name": TOO_SHORT[0],
        "email": TOO_SHORT[1],
        "joined_at": day_at(S1_DAY, "19:10"),
        "left_at": day_at(S1_DAY, "19:20"),
    }
    assert fac_a.post(f"/api/v1/sessions/{session['id']}/attendance", json=short).status_code == 201
    answer = fac_a.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert answer.status_code == 200, answer.get_json()
    return session["id"], answer.get_json()["records"]


def build_world(app) -> World:
    fac_a = make_api_user(app, "sam@example.org", "Sam R.")
    fac_b = make_api_user(app, "alex@example.org", "Alex F.")
    officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
    admin = make_api_user(app, "ada@example.org", "Ada A.", role="admin")
    with app.app_context():
        accounts.create_user("carol@example.org", "Carol C.", "facilitator")
        accounts.create_user("spare@example.org", "Spare S.", "officer")
        spare_token = accounts.create_api_token("sam@example.org")

    meeting = fac_a.post(
        "/api/v1/meetings",
        json={"name": "Tuesday Circle", "program": "SMART Recovery", "timezone": "America/Chicago"},
    ).get_json()
    s1, records = _finalized_session(fac_a, meeting["id"])
    by_name = {r["name"]: r for r in records}
    assert set(by_name) == {DANA[0], *(name for name, _ in OTHERS)}
    dana = by_name[DANA[0]]
    for record in records:  # what each attendee holds: their page (never the facilitator)
        record["attendee_url"] = page_of(app, record)

    s2 = fac_a.post(
        f"/api/v1/meetings/{meeting['id']}/sessions",
        json={"starts_at": day_at(S2_DAY, "19:00"), "ends_at": day_at(S2_DAY, "20:00")},
    ).get_json()
    body = {"name": "Morgan Hand", "joined_at": at("19:00"), "left_at": at("19:30")}
    morgan = fac_a.post(f"/api/v1/sessions/{s2['id']}/attendance", json=body).get_json()

    officer_cases = [
        officer.post(
            "/api/v1/cases",
            json={"label": CASE_LABEL, "requirement": {"meetings": 3, "days": 90},
                  "starts_on": "2025-02-01"},
        ).get_json()
        for _ in range(3)
    ]  # fmt: skip

    app.config["CLOCK"] = lambda: CHECKIN_NOW
    walk_in = Browser(app.test_client())
    walk_in.get(f"/checkin/{s2['checkin_code']}")
    checked_in = walk_in.post(f"/checkin/{s2['checkin_code']}", {"name": "Robin Open"})
    assert checked_in.status_code == 302, checked_in.get_data(as_text=True)

    attendee = Browser(app.test_client())
    assert attendee.get(path_of(dana["attendee_url"])).status_code == 200

    with app.test_request_context():
        row = db.session.get(MeetingSession, s2["id"])
        row.checkout_revealed_at = CHECKIN_NOW
        s2_codes = (row.checkin_code, row.checkout_code)
        s1_checkin = db.session.get(MeetingSession, s1).checkin_code
        interval = db.session.scalar(
            sa.select(Interval).join(Participant).where(Participant.name == "Robin Open")
        )
        db.session.commit()
        spare = db.session.scalar(sa.select(User).where(User.email == "spare@example.org"))
        setup_url = passwords.password_setup_url(spare)  # commits: made before the rows below
        dana_attendee = attendee_for_link(path_of(dana["attendee_url"]).rsplit("/", 1)[1])
        shares = [
            sharing.create_share_link(dana_attendee, date(2025, 1, 1), date(2025, 12, 31))
            for _ in range(3)
        ]
        live, withdrawn, to_revoke = shares
        lee = attendee_for_link(path_of(by_name["Lee Park"]["attendee_url"]).rsplit("/", 1)[1])
        lees_share = sharing.create_share_link(lee, date(2025, 1, 1), date(2025, 12, 31))
        sharing.revoke_share_link(dana_attendee, withdrawn.id)
        # Dana's page consents to two of the officer's cases (one to withdraw); Lee's to one.
        for case, page in zip(officer_cases, (dana_attendee, dana_attendee, lee), strict=True):
            case_consents.link_case(page, case["enrolment_code"])
        consent_ids = [
            db.session.scalar(sa.select(CaseConsent.id).where(CaseConsent.case_id == case["id"]))
            for case in officer_cases
        ]
        share_urls = {s.id: links.share_url(s.id) for s in shares}
        kid = next(iter(keyring.verification_keys()))
        spare_token_id = db.session.scalar(
            sa.select(ApiToken.id).where(ApiToken.prefix == spare_token[:12])
        )
        ids = {
            "meeting": meeting["id"],
            "s1": s1,
            "s2": s2["id"],
            "record_dana": dana["id"],
            "record_web_revoke": by_name["Lee Park"]["id"],
            "record_api_revoke": by_name["Kim Nguyen"]["id"],
            "person": morgan["id"],
            "interval": interval.id,
            "share_to_revoke": to_revoke.id,
            "share_of_lee": lees_share.id,
            "spare_user": spare.id,
            "spare_token": spare_token_id,
            "kid": kid,
            "s1_checkin": s1_checkin,
            "s2_checkin": s2_codes[0],
            "s2_checkout": s2_codes[1],
            "case": officer_cases[0]["id"],
            "consent_to_withdraw": consent_ids[1],
            "consent_of_lee": consent_ids[2],
        }

    urls = {
        "attendee": path_of(dana["attendee_url"]),
        "slip": path_of(dana["slip_url"]),
        "verify": path_of(dana["verify_url"]),
        "token": dana["token"],
        "code": dana["code"],
        "share_live": path_of(share_urls[live.id]),
        "share_withdrawn": path_of(share_urls[withdrawn.id]),
        "set_password": path_of(setup_url),
    }
    pdf = app.test_client().get(urls["slip"])
    assert pdf.status_code == 200

    callers = {
        "anonymous": _anonymous_caller(app),
        "attendee": Caller(cookie=_cookie(attendee), csrf=attendee.token),
        "facilitator_a": _web_and_token(app, fac_a, fac_a.email),
        "facilitator_b": _web_and_token(app, fac_b, fac_b.email),
        "officer": _web_and_token(app, officer, officer.email),
        "admin": _web_and_token(app, admin, admin.email),
    }
    if callers["attendee"].csrf is None:
        attendee.get("/checkin")
        callers["attendee"] = Caller(cookie=_cookie(attendee), csrf=attendee.token)
    facilitator_emails = [u.email for u in (fac_a, fac_b, officer, admin)]
    secrets = {
        # Public verification answers show one slip: never an email, nobody else's name.
        "public": [DANA[1], *(e for _, e in OTHERS), TOO_SHORT[1], *(n for n, _ in OTHERS),
                   TOO_SHORT[0], *facilitator_emails, CASE_LABEL],
        # The attendee's own page may show their own email, never anyone else's details.
        "attendee": [*(e for _, e in OTHERS), TOO_SHORT[1], *(n for n, _ in OTHERS),
                     TOO_SHORT[0], *facilitator_emails, CASE_LABEL],
        # An officer's case shows only the records of the page that consented.
        "case": [DANA[1], *(e for _, e in OTHERS), TOO_SHORT[1], *(n for n, _ in OTHERS),
                 TOO_SHORT[0], *facilitator_emails],
        # A facilitator's attendance sheet names people, never their emails.
        "emails": [DANA[1], *(e for _, e in OTHERS if e), TOO_SHORT[1]],
    }  # fmt: skip
    return World(app, callers, ids, urls, secrets, pdf.data)


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    keys_dir = tmp_path_factory.mktemp("matrix-keys")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "KEYS_DIR": str(keys_dir),
            "BASE_URL": BASE_URL,
            # Rate limits have their own tests; hundreds of calls here must not meet them.
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        key_rotation.ensure_signing_key(str(keys_dir))
        db.session.commit()
    try:
        yield build_world(app)
    finally:
        with app.app_context():
            db.session.rollback()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            db.engine.dispose()


# --- expectations -------------------------------------------------------------------------------


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


def api_owned(ok) -> dict:
    """A facilitator call on facilitator A's object: others see nothing there."""
    return {"anonymous": 401, "attendee": 401, "facilitator_a": ok, "facilitator_b": 404,
            "officer": 403, "admin": 404}  # fmt: skip


def api_any_facilitator(ok) -> dict:
    return {"anonymous": 401, "attendee": 401, "facilitator_a": ok, "facilitator_b": ok,
            "officer": 403, "admin": ok}  # fmt: skip


def web_owned(ok) -> dict:
    """A facilitator page about facilitator A's object (admins run no meetings of their own)."""
    return {"anonymous": SIGN_IN, "attendee": SIGN_IN, "facilitator_a": ok, "facilitator_b": 404,
            "officer": 403, "admin": 404}  # fmt: skip


def web_any_facilitator(ok) -> dict:
    return {"anonymous": SIGN_IN, "attendee": SIGN_IN, "facilitator_a": ok, "facilitator_b": ok,
            "officer": 403, "admin": ok}  # fmt: skip


def api_officer(ok, others_status: int = 403) -> dict:
    """An officer call: facilitators and admins hold no cases."""
    return {"anonymous": 401, "attendee": 401, "facilitator_a": others_status,
            "facilitator_b": others_status, "officer": ok, "admin": others_status}  # fmt: skip


def web_officer(ok) -> dict:
    return {"anonymous": SIGN_IN, "attendee": SIGN_IN, "facilitator_a": 403, "facilitator_b": 403,
            "officer": ok, "admin": 403}  # fmt: skip


def web_admin(ok) -> dict:
    return {"anonymous": SIGN_IN, "attendee": SIGN_IN, "facilitator_a": 403, "facilitator_b": 403,
            "officer": 403, "admin": ok}  # fmt: skip


def signed_in_go_home(anonymous) -> dict:
    """Sign-in: shown to whoever is not signed in; the signed-in go to their home page."""
    return {"anonymous": anonymous, "attendee": anonymous, "facilitator_a": REDIRECT,
            "facilitator_b": REDIRECT, "officer": REDIRECT, "admin": REDIRECT}  # fmt: skip


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    label: str
    url: object  # World -> str
    expect: dict
    form: object = None  # World -> dict (sent with a CSRF token)
    json: object = None  # World -> dict
    files: object = None  # World -> dict of multipart fields
    privacy: str | None = None  # which secrets a 200 answer must not contain

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint} [{self.label}]"


def _zoom_report(_w) -> dict:
    return {"file": (SAMPLES / "zoom-participants.csv").open("rb"), "timezone": "America/Chicago"}


def _garbage_file(_w) -> dict:
    return {"file": (io.BytesIO(b"%PDF-1.4 nothing here"), "slip.pdf")}


def _slip_file(w) -> dict:
    return {"file": (io.BytesIO(w.pdf), "slip.pdf")}


def _ids(*names: str):
    return lambda w: tuple(w.ids[n] for n in names)


ROWS = [
    # --- public pages and documents ---
    Row("verify.home", "GET", "start page", lambda w: "/", everyone(200), privacy="public"),
    Row("static", "GET", "a stylesheet", lambda w: "/static/style.css", everyone(200)),
    Row("static", "GET", "missing file", lambda w: "/static/nope.css", everyone(404)),
    Row("health.healthz", "GET", "", lambda w: "/healthz", everyone(200)),
    Row("wellknown.jwks", "GET", "", lambda w: "/.well-known/jwks.json", everyone(200),
        privacy="public"),
    Row("wellknown.audit_jwks", "GET", "", lambda w: "/.well-known/audit-jwks.json",
        everyone(200), privacy="public"),
    Row("wellknown.document_signing_certificate", "GET", "",
        lambda w: "/.well-known/document-signing.pem", everyone(200), privacy="public"),
    Row("wellknown.revocation_list", "GET", "current key",
        lambda w: f"/.well-known/crl/{w.ids['kid']}.json", everyone(200), privacy="public"),
    Row("wellknown.revocation_list", "GET", "unknown key",
        lambda w: "/.well-known/crl/not-a-kid.json", everyone(404)),
    Row("api.openapi_document", "GET", "", lambda w: "/api/v1/openapi.json", everyone(200)),
    # --- verification: no login, one slip only ---
    Row("verify.verdict_for_token", "GET", "real token", lambda w: w.urls["verify"],
        everyone(200), privacy="public"),
    Row("verify.verdict_for_token", "GET", "forged token", lambda w: w.urls["verify"][:-4] + "AAAA",
        everyone(200), privacy="public"),
    Row("verify.verify_form", "GET", "form", lambda w: "/verify", everyone(200), privacy="public"),
    Row("verify.verify_form", "GET", "real code", lambda w: f"/verify?code={w.urls['code']}",
        everyone(200), privacy="public"),
    Row("verify.verify_uploaded_pdf", "POST", "the slip", lambda w: "/verify/pdf", everyone(200),
        form=lambda w: {}, files=_slip_file, privacy="public"),
    Row("verify.verify_uploaded_pdf", "POST", "not a slip", lambda w: "/verify/pdf",
        everyone(422), form=lambda w: {}, files=_garbage_file),
    Row("api.verify", "GET", "code", lambda w: f"/api/v1/verify/{w.urls['code']}", everyone(200),
        privacy="public"),
    Row("api.verify", "GET", "token", lambda w: f"/api/v1/verify/{w.urls['token']}",
        everyone(200), privacy="public"),
    Row("api.verify_pdf", "POST", "the slip", lambda w: "/api/v1/verify/pdf", everyone(200),
        files=_slip_file, privacy="public"),
    Row("api.verify_pdf", "POST", "not a slip", lambda w: "/api/v1/verify/pdf", everyone(422),
        files=_garbage_file),
    # --- capability links: the link is the credential ---
    Row("slips.download_slip", "GET", "real link", lambda w: w.urls["slip"], everyone(200)),
    Row("slips.download_slip", "GET", "forged link", lambda w: forged(w.urls["slip"]),
        everyone(404)),
    Row("attendee.page", "GET", "real link", lambda w: w.urls["attendee"], everyone(200),
        privacy="attendee"),
    Row("attendee.page", "GET", "forged link", lambda w: forged(w.urls["attendee"]),
        everyone(404)),
    Row("attendee.summary_pdf", "GET", "real link",
        lambda w: f"{w.urls['attendee']}/summary.pdf?from=2025-01-01&to=2025-12-31", everyone(200)),
    Row("attendee.summary_pdf", "GET", "no range", lambda w: f"{w.urls['attendee']}/summary.pdf",
        everyone(400)),
    Row("attendee.summary_pdf", "GET", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/summary.pdf?from=2025-01-01&to=2025-12-31",
        everyone(404)),
    Row("attendee.summary_csv", "GET", "real link",
        lambda w: f"{w.urls['attendee']}/summary.csv?from=2025-01-01&to=2025-12-31", everyone(200),
        privacy="attendee"),
    Row("attendee.summary_csv", "GET", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/summary.csv?from=2025-01-01&to=2025-12-31",
        everyone(404)),
    Row("attendee.change_name", "POST", "real link", lambda w: f"{w.urls['attendee']}/name",
        everyone(REDIRECT), form=lambda w: {"name": "Dana K."}),
    Row("attendee.change_name", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/name", everyone(404),
        form=lambda w: {"name": "Mallory"}),
    Row("attendee.change_language", "POST", "real link",
        lambda w: f"{w.urls['attendee']}/language", everyone(REDIRECT),
        form=lambda w: {"language": "en"}),
    Row("attendee.change_language", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/language", everyone(404),
        form=lambda w: {"language": "es"}),
    Row("attendee.check_in", "POST", "real link, no meeting has the code",
        lambda w: f"{w.urls['attendee']}/checkin", everyone(REDIRECT),
        form=lambda w: {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}),
    Row("attendee.check_in", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/checkin", everyone(404),
        form=lambda w: {"code": w.ids["s2_checkin"]}),
    Row("attendee.rotate_link", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/rotate", everyone(404), form=lambda w: {}),
    Row("attendee.confirm_email", "GET", "forged proof", lambda w: "/me/confirm/WyJ4Il0.forged",
        everyone(404)),
    Row("attendee.recover", "GET", "", lambda w: "/me/recover", everyone(200)),
    Row("attendee.recover", "POST", "an address with no page", lambda w: "/me/recover",
        everyone(200), form=lambda w: {"email": "nobody@example.org"}),
    Row("attendee.create_share", "POST", "real link", lambda w: f"{w.urls['attendee']}/shares",
        everyone(REDIRECT), form=lambda w: {"from": "2025-01-01", "to": "2025-12-31"}),
    Row("attendee.create_share", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/shares", everyone(404),
        form=lambda w: {"from": "2025-01-01", "to": "2025-12-31"}),
    Row("attendee.revoke_share", "POST", "real link",
        lambda w: f"{w.urls['attendee']}/shares/{w.ids['share_to_revoke']}/revoke",
        everyone(REDIRECT), form=lambda w: {}),
    Row("attendee.revoke_share", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/shares/{w.ids['share_to_revoke']}/revoke",
        everyone(404), form=lambda w: {}),
    Row("attendee.revoke_share", "POST", "someone else's share id",
        lambda w: f"{w.urls['attendee']}/shares/{w.ids['share_of_lee']}/revoke", everyone(404),
        form=lambda w: {}),
    Row("attendee.shared_summary", "GET", "live link", lambda w: w.urls["share_live"],
        everyone(200), privacy="public"),
    Row("attendee.shared_summary", "GET", "withdrawn link", lambda w: w.urls["share_withdrawn"],
        everyone(410), privacy="public"),
    Row("attendee.shared_summary", "GET", "forged link", lambda w: forged(w.urls["share_live"]),
        everyone(404)),
    Row("auth.set_password", "GET", "real link", lambda w: w.urls["set_password"], everyone(200)),
    Row("auth.set_password", "GET", "forged link", lambda w: forged(w.urls["set_password"]),
        everyone(404)),
    Row("auth.set_password", "POST", "real link, passwords differ",
        lambda w: w.urls["set_password"], everyone(200),
        form=lambda w: {"password": "a long enough password", "confirm": "something else"}),
    Row("auth.set_password", "POST", "forged link", lambda w: forged(w.urls["set_password"]),
        everyone(404), form=lambda w: {"password": "a long enough password",
                                       "confirm": "a long enough password"}),
    Row("attendee.link_case", "POST", "real link, no case has the code",
        lambda w: f"{w.urls['attendee']}/cases", everyone(REDIRECT),
        form=lambda w: {"enrolment_code": "2345-6789-ABCD-EFGH"}),
    Row("attendee.link_case", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/cases", everyone(404),
        form=lambda w: {"enrolment_code": "2345-6789-ABCD-EFGH"}),
    Row("attendee.withdraw_case", "POST", "real link",
        lambda w: f"{w.urls['attendee']}/cases/{w.ids['consent_to_withdraw']}/withdraw",
        everyone(REDIRECT), form=lambda w: {}),
    Row("attendee.withdraw_case", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/cases/{w.ids['consent_to_withdraw']}/withdraw",
        everyone(404), form=lambda w: {}),
    Row("attendee.withdraw_case", "POST", "another page's consent",
        lambda w: f"{w.urls['attendee']}/cases/{w.ids['consent_of_lee']}/withdraw",
        everyone(404), form=lambda w: {}),
    Row("attendee.set_case_reminders", "POST", "real link",
        lambda w: f"{w.urls['attendee']}/cases/reminders", everyone(REDIRECT),
        form=lambda w: {"reminders": "on"}),
    Row("attendee.set_case_reminders", "POST", "forged link",
        lambda w: f"{forged(w.urls['attendee'])}/cases/reminders", everyone(404),
        form=lambda w: {"reminders": "on"}),
    # --- officers' cases ---
    Row("api.create_case", "POST", "", lambda w: "/api/v1/cases", api_officer(201),
        json=lambda w: {"label": CASE_LABEL, "requirement": {"per_week": 2, "weeks": 4}}),
    Row("api.list_cases", "GET", "", lambda w: "/api/v1/cases", api_officer(200), privacy="case"),
    Row("api.show_case", "GET", "the officer's case", lambda w: f"/api/v1/cases/{w.ids['case']}",
        api_officer(200), privacy="case"),
    Row("api.show_case", "GET", "no such case", lambda w: "/api/v1/cases/nope",
        api_officer(404)),
    Row("api.case_report", "GET", "the officer's case",
        lambda w: f"/api/v1/cases/{w.ids['case']}/report.pdf", api_officer(200)),
    Row("officer.dashboard", "GET", "", lambda w: "/officer/", web_officer(200), privacy="case"),
    Row("officer.new_case", "POST", "", lambda w: "/officer/cases", web_officer(REDIRECT),
        form=lambda w: {"label": CASE_LABEL, "kind": "per_week", "count": "2", "span": "4"}),
    Row("officer.set_digest", "POST", "", lambda w: "/officer/digest", web_officer(REDIRECT),
        form=lambda w: {"digest": "on"}),
    Row("officer.caseload_csv", "GET", "", lambda w: "/officer/cases.csv", web_officer(200),
        privacy="case"),
    Row("officer.case_page", "GET", "the officer's case",
        lambda w: f"/officer/cases/{w.ids['case']}", web_officer(200), privacy="case"),
    Row("officer.case_page", "GET", "no such case", lambda w: "/officer/cases/nope",
        web_officer(404)),
    Row("officer.case_report", "GET", "the officer's case",
        lambda w: f"/officer/cases/{w.ids['case']}/report.pdf", web_officer(200)),
    # --- checking in: anyone with the code ---
    Row("checkin.type_code", "GET", "", lambda w: "/checkin", everyone(200)),
    Row("checkin.type_code", "POST", "check-in code", lambda w: "/checkin", everyone(REDIRECT),
        form=lambda w: {"code": w.ids["s2_checkin"]}),
    Row("checkin.type_code", "POST", "unknown code", lambda w: "/checkin", everyone(404),
        form=lambda w: {"code": "ZZZZ-ZZZZ-ZZZZ"}),
    Row("checkin.checkin_page", "GET", "open session", lambda w: f"/checkin/{w.ids['s2_checkin']}",
        everyone(200)),
    Row("checkin.checkin_page", "GET", "signed session",
        lambda w: f"/checkin/{w.ids['s1_checkin']}", everyone(409)),
    Row("checkin.checkin_page", "GET", "unknown code", lambda w: "/checkin/ZZZZZZZZZZZZ",
        everyone(404)),
    Row("checkin.check_in", "POST", "no name", lambda w: f"/checkin/{w.ids['s2_checkin']}",
        everyone(400), form=lambda w: {"name": ""}),
    Row("checkin.check_in", "POST", "signed session", lambda w: f"/checkin/{w.ids['s1_checkin']}",
        everyone(409), form=lambda w: {"name": "Late Comer"}),
    Row("checkin.checkout_page", "GET", "", lambda w: f"/checkout/{w.ids['s2_checkout']}",
        everyone(200)),
    Row("checkin.check_out", "POST", "nobody checked in here", lambda w: "/checkout",
        everyone(409), form=lambda w: {"code": w.ids["s2_checkout"], "name": "Nobody",
                                       "email": "nobody@example.net"}),
    Row("checkin.forget", "POST", "", lambda w: "/checkin/forget", everyone(REDIRECT),
        form=lambda w: {}),
    # --- signing in and out ---
    Row("auth.sign_in", "GET", "", lambda w: "/sign-in", signed_in_go_home(200)),
    Row("auth.sign_in", "POST", "wrong password", lambda w: "/sign-in", signed_in_go_home(200),
        form=lambda w: {"email": "sam@example.org", "password": "not the password"}),
    Row("auth.sign_out", "POST", "", lambda w: "/sign-out", everyone(SIGN_IN), form=lambda w: {}),
    Row("auth.forgot_password", "GET", "", lambda w: "/forgot-password", everyone(200)),
    Row("auth.forgot_password", "POST", "an email with no account", lambda w: "/forgot-password",
        everyone(200), form=lambda w: {"email": "nobody@example.org"}),
    # --- the JSON API for facilitators ---
    Row("api.create_meeting", "POST", "", lambda w: "/api/v1/meetings", api_any_facilitator(201),
        json=lambda w: {"name": "Another", "program": "AA", "timezone": "Europe/London"}),
    Row("api.show_meeting", "GET", "", lambda w: f"/api/v1/meetings/{w.ids['meeting']}",
        api_owned(200)),
    Row("api.show_meeting", "GET", "no such meeting", lambda w: "/api/v1/meetings/nope",
        {**api_owned(404), "facilitator_a": 404}),
    Row("api.open_session", "POST", "", lambda w: f"/api/v1/meetings/{w.ids['meeting']}/sessions",
        api_owned(201), json=lambda w: {"starts_at": day_at("2025-04-01", "19:00"),
                                        "ends_at": day_at("2025-04-01", "20:00")}),
    Row("api.show_session", "GET", "", lambda w: f"/api/v1/sessions/{w.ids['s2']}",
        api_owned(200)),
    Row("api.record_attendance", "POST", "", lambda w: f"/api/v1/sessions/{w.ids['s2']}/attendance",
        api_owned(201), json=lambda w: {"name": "Jo API", "joined_at": at("19:00"),
                                        "left_at": at("19:50")}),
    Row("api.record_attendance", "POST", "signed session",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}/attendance", api_owned(409),
        json=lambda w: {"name": "Jo API", "joined_at": day_at(S1_DAY, "19:00"),
                        "left_at": day_at(S1_DAY, "19:50")}),
    Row("api.import_participant_report", "POST", "",
        lambda w: f"/api/v1/sessions/{w.ids['s2']}/participant-report", api_owned(200),
        files=_zoom_report),
    Row("api.show_roster", "GET", "", lambda w: f"/api/v1/sessions/{w.ids['s2']}/roster",
        api_owned(200)),
    Row("api.finalize_session", "POST", "signed already",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}/finalize", api_owned(409)),
    Row("api.rename_attendee", "PATCH", "signed session",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}/attendees/{w.ids['person']}", api_owned(409),
        json=lambda w: {"name": "Renamed"}),
    Row("api.remove_interval", "DELETE", "signed session",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}/intervals/{w.ids['interval']}",
        api_owned(409)),
    Row("api.undo_participant_report", "DELETE", "signed session",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}/participant-report/none", api_owned(409)),
    Row("api.cancel_session", "DELETE", "signed session",
        lambda w: f"/api/v1/sessions/{w.ids['s1']}", api_owned(409)),
    Row("api.revoke_record", "POST", "",
        lambda w: f"/api/v1/records/{w.ids['record_api_revoke']}/revoke", api_owned(200),
        json=lambda w: {"reason": "Issued to the wrong person"}),
    # --- the facilitator pages ---
    Row("facilitator.dashboard", "GET", "", lambda w: "/facilitator/", web_any_facilitator(200)),
    Row("facilitator.new_meeting", "GET", "", lambda w: "/facilitator/meetings/new",
        web_any_facilitator(200)),
    Row("facilitator.new_meeting", "POST", "", lambda w: "/facilitator/meetings/new",
        web_any_facilitator(REDIRECT),
        form=lambda w: {"name": "Web meeting", "program": "SMART Recovery", "platform": "",
                        "timezone": "America/Chicago", "min_presence_percent": "80"}),
    Row("facilitator.meeting_page", "GET", "",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}", web_owned(200)),
    Row("facilitator.edit_meeting", "GET", "",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}/edit", web_owned(200)),
    Row("facilitator.edit_meeting", "POST", "",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}/edit", web_owned(REDIRECT),
        form=lambda w: {"name": "Tuesday Circle", "program": "SMART Recovery", "platform": "",
                        "timezone": "America/Chicago", "min_presence_percent": "80"}),
    Row("facilitator.add_cofacilitator", "POST", "",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}/facilitators", web_owned(REDIRECT),
        form=lambda w: {"email": "carol@example.org"}),
    Row("facilitator.open_session", "POST", "",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}/sessions", web_owned(REDIRECT),
        form=lambda w: {"on_date": "2025-05-06", "start": "19:00", "minutes": "60"}),
    Row("facilitator.session_page", "GET", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}", web_owned(200)),
    Row("facilitator.session_page", "GET", "no such session",
        lambda w: "/facilitator/sessions/nope", {**web_owned(404), "facilitator_a": 404}),
    Row("facilitator.roster_fragment", "GET", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}/roster", web_owned(200)),
    Row("facilitator.reveal_checkout", "POST", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}/reveal-checkout", web_owned(REDIRECT),
        form=lambda w: {}),
    Row("facilitator.import_report", "POST", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}/import", web_owned(REDIRECT),
        form=lambda w: {}, files=lambda w: {"report": _zoom_report(w)["file"]}),
    Row("facilitator.add_person", "POST", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}/people", web_owned(REDIRECT),
        form=lambda w: {"name": "Hand Added", "joined": "19:00", "left": "19:55",
                        "reason": "Joined by phone"}),
    Row("facilitator.add_time", "POST", "",
        lambda w: "/facilitator/sessions/{}/people/{}/time".format(*_ids("s2", "person")(w)),
        web_owned(REDIRECT),
        form=lambda w: {"joined": "19:30", "left": "19:40", "reason": "Audio only"}),
    Row("facilitator.exclude", "POST", "",
        lambda w: "/facilitator/sessions/{}/people/{}/exclude".format(*_ids("s2", "person")(w)),
        web_owned(REDIRECT), form=lambda w: {"reason": "Camera off throughout"}),
    Row("facilitator.include", "POST", "",
        lambda w: "/facilitator/sessions/{}/people/{}/include".format(*_ids("s2", "person")(w)),
        web_owned(REDIRECT), form=lambda w: {}),
    Row("facilitator.allow_host_slip", "POST", "",
        lambda w: "/facilitator/sessions/{}/people/{}/host-slip".format(*_ids("s2", "person")(w)),
        web_owned(REDIRECT), form=lambda w: {"reason": "Co-host who also attended"}),
    Row("facilitator.withhold_host_slip", "POST", "",
        lambda w: "/facilitator/sessions/{}/people/{}/host-slip/undo".format(
            *_ids("s2", "person")(w)), web_owned(REDIRECT), form=lambda w: {}),
    Row("facilitator.close_interval", "POST", "",
        lambda w: "/facilitator/sessions/{}/intervals/{}/close".format(
            *_ids("s2", "interval")(w)), web_owned(REDIRECT),
        form=lambda w: {"left": "19:45", "reason": "Forgot to check out"}),
    Row("facilitator.confirm_signing", "GET", "",
        lambda w: f"/facilitator/sessions/{w.ids['s2']}/sign", web_owned(200)),
    Row("facilitator.attendance_sheet_pdf", "GET", "",
        lambda w: f"/facilitator/sessions/{w.ids['s1']}/sheet.pdf", web_owned(200)),
    Row("facilitator.attendance_sheet_csv", "GET", "",
        lambda w: f"/facilitator/sessions/{w.ids['s1']}/sheet.csv", web_owned(200),
        privacy="emails"),
    Row("facilitator.skip_week", "POST", "not a weekly meeting",
        lambda w: f"/facilitator/meetings/{w.ids['meeting']}/weeks/2025-03-04/skip",
        web_owned(REDIRECT), form=lambda w: {}),
    Row("facilitator.rename_person", "POST", "signed session",
        lambda w: "/facilitator/sessions/{}/people/{}/name".format(*_ids("s1", "person")(w)),
        web_owned(REDIRECT), form=lambda w: {"name": "Renamed"}),
    Row("facilitator.remove_interval", "POST", "signed session",
        lambda w: "/facilitator/sessions/{}/intervals/{}/remove".format(
            *_ids("s1", "interval")(w)), web_owned(REDIRECT), form=lambda w: {"reason": "typo"}),
    Row("facilitator.undo_import", "POST", "signed session",
        lambda w: f"/facilitator/sessions/{w.ids['s1']}/imports/none/undo", web_owned(REDIRECT),
        form=lambda w: {}),
    Row("facilitator.cancel_session", "POST", "signed session",
        lambda w: f"/facilitator/sessions/{w.ids['s1']}/cancel", web_owned(REDIRECT),
        form=lambda w: {}),
    Row("facilitator.sign_session", "POST", "signed already",
        lambda w: f"/facilitator/sessions/{w.ids['s1']}/sign", web_owned(REDIRECT),
        form=lambda w: {}),
    Row("facilitator.record_page", "GET", "",
        lambda w: f"/facilitator/records/{w.ids['record_dana']}", web_owned(200)),
    Row("facilitator.revoke", "POST", "",
        lambda w: f"/facilitator/records/{w.ids['record_web_revoke']}/revoke", web_owned(REDIRECT),
        form=lambda w: {"reason": "Left early, counted by mistake"}),
    Row("facilitator.tokens", "GET", "", lambda w: "/facilitator/tokens", web_any_facilitator(200)),
    Row("facilitator.create_token", "POST", "", lambda w: "/facilitator/tokens",
        web_any_facilitator(200), form=lambda w: {}),
    Row("facilitator.revoke_token", "POST", "facilitator A's token",
        lambda w: f"/facilitator/tokens/{w.ids['spare_token']}/revoke", web_owned(REDIRECT),
        form=lambda w: {}),
    # --- admins ---
    Row("admin.users", "GET", "", lambda w: "/admin/users", web_admin(200)),
    Row("admin.invite", "POST", "", lambda w: "/admin/users", web_admin(200),
        form=lambda w: {"email": "new.officer@example.org", "display_name": "New O.",
                        "role": "officer"}),
    Row("admin.new_link", "POST", "", lambda w: f"/admin/users/{w.ids['spare_user']}/link",
        web_admin(200), form=lambda w: {}),
    Row("admin.deactivate", "POST", "", lambda w: f"/admin/users/{w.ids['spare_user']}/deactivate",
        web_admin(REDIRECT), form=lambda w: {}),
    Row("admin.reactivate", "POST", "", lambda w: f"/admin/users/{w.ids['spare_user']}/reactivate",
        web_admin(REDIRECT), form=lambda w: {}),
    Row("admin.outbox_page", "GET", "", lambda w: "/admin/outbox", web_admin(200)),
    Row("admin.retry_mail", "POST", "no such message", lambda w: "/admin/outbox/nothing/retry",
        web_admin(404), form=lambda w: {}),
    Row("audit_log.browse", "GET", "", lambda w: "/admin/audit", web_admin(200)),
    Row("audit_log.export", "GET", "", lambda w: "/admin/audit/export.jsonl", web_admin(200)),
]  # fmt: skip

ROW_IDS = [row.id for row in ROWS]
assert len(set(ROW_IDS)) == len(ROW_IDS), "two rows of the matrix have the same id"


# --- calling a route as a caller ----------------------------------------------------------------


ENDS_THE_SIGN_IN = {"auth.sign_out"}


def call(world: World, row: Row, role: str):
    caller = world.callers[role]
    if row.endpoint in ENDS_THE_SIGN_IN and caller.email:
        # Signing out ends the sign-in on the server: a sign-in of its own, not the shared one.
        browser = Browser(world.app.test_client())
        signed = browser.sign_in(caller.email)
        assert signed.status_code == 302
        browser.get(signed.headers["Location"])
        browser.get("/checkin")
        caller = Caller(cookie=_cookie(browser), csrf=browser.token)
    client = world.app.test_client()
    if caller.cookie:
        client.set_cookie("session", caller.cookie)
    headers = {"Authorization": f"Bearer {caller.token}"} if caller.token else {}
    url = row.url(world)
    if row.method == "GET":
        return client.get(url, headers=headers)
    if row.method in ("DELETE", "PATCH"):
        body = row.json(world) if row.json is not None else None
        return client.open(url, method=row.method, json=body, headers=headers)
    if row.json is not None:
        return client.post(url, json=row.json(world), headers=headers)
    data = {}
    if row.form is not None:
        data.update(row.form(world))
        if caller.csrf:
            data["csrf_token"] = caller.csrf
    if row.files is not None:
        data.update(row.files(world))
    if not data:
        return client.post(url, headers=headers)
    return client.post(url, data=data, headers=headers)


def _status_matches(response, expected) -> bool:
    location = urlsplit(response.headers.get("Location", "")).path
    if expected == SIGN_IN:
        return response.status_code == 302 and location == "/sign-in"
    if expected == REDIRECT:
        return response.status_code == 302 and location != "/sign-in"
    return response.status_code == expected


CELLS = [pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_cell(world, row, role):
    response = call(world, row, role)
    expected = row.expect[role]
    body = response.get_data(as_text=True) if "pdf" not in response.mimetype else ""
    assert _status_matches(response, expected), (
        f"{row.id} as {role}: expected {expected}, got {response.status_code} "
        f"{response.headers.get('Location', '')}\n{body[:600]}"
    )
    assert response.status_code < 500
    if row.privacy and response.status_code < 500:
        leaked = [secret for secret in world.secrets[row.privacy] if secret.lower() in body.lower()]
        assert not leaked, f"{row.id} as {role} shows {leaked}"


def test_every_route_is_in_the_matrix(world):
    served = {
        (rule.endpoint, method)
        for rule in world.app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(row.endpoint, row.method) for row in ROWS}
    missing = sorted(served - covered)
    assert not missing, f"add these routes to the authorization matrix: {missing}"
    assert not covered - served, f"the matrix names routes the app lacks: {covered - served}"
    assert all(set(row.expect) == set(ROLES) for row in ROWS)


def test_json_errors_come_from_the_api_and_pages_from_the_site(world):
    """Refusals keep the audience's format: JSON for the API, a page for people."""
    api = call(world, ROWS[[r.id for r in ROWS].index("GET api.show_meeting []")], "facilitator_b")
    assert api.status_code == 404 and api.is_json and "error" in api.get_json()
    assert call(world, ROWS[0], "anonymous").mimetype == "text/html"
    anonymous = world.app.test_client().get(f"/api/v1/sessions/{world.ids['s2']}/roster")
    assert anonymous.status_code == 401 and anonymous.is_json
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")


UNSUPPORTED = ["DELETE", "PUT", "PATCH"]


def _rule_samples():
    app_rules = {}
    for row in ROWS:
        app_rules.setdefault(row.endpoint, row)
    return sorted(app_rules.values(), key=lambda r: r.endpoint)


@pytest.mark.parametrize("row", _rule_samples(), ids=lambda r: r.endpoint)
def test_methods_a_route_does_not_take_are_405(world, row):
    client = world.app.test_client()
    url = row.url(world)
    routes = world.app.url_map.bind("localhost")
    for method in UNSUPPORTED:
        try:
            routes.match(urlsplit(url).path, method=method)
            continue  # another route at this address takes the method (DELETE a session)
        except MethodNotAllowed:
            pass
        except Exception:  # noqa: S110 (not found, redirects: the request below says)
            pass
        response = client.open(url, method=method)
        assert response.status_code == 405, f"{method} {url}: {response.status_code}"
        allowed = set(response.headers["Allow"].split(", "))
        assert method not in allowed


def test_public_verification_of_a_real_slip_shows_the_slip(world):
    """The privacy checks above are only meaningful if the pages show the slip at all."""
    client = world.app.test_client()
    page = client.get(world.urls["verify"]).get_data(as_text=True)
    assert DANA[0] in page
    answer = client.get(f"/api/v1/verify/{world.urls['code']}").get_json()
    assert answer["status"] == "valid" and answer["record"]["name"] == DANA[0]
    assert "email" not in answer["record"]
    shared = client.get(world.urls["share_live"]).get_data(as_text=True)
    assert DANA[0] in shared or "Dana K." in shared
    assert world.urls["code"] in shared
