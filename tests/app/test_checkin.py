"""Attendees check in and out with the facilitator's codes, within the session's time window."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
import redis

from tests.app.checkin_steps import END, START, check_in, intervals_of, reveal
from tests.app.web_session import Browser


def test_check_in_then_check_out_makes_one_interval(app, clock, codes, sam):
    dana = Browser(app.test_client())
    response = check_in(dana, codes["checkin"])
    assert response.status_code == 302
    page = dana.get(response.headers["Location"]).get_data(as_text=True)
    assert "You're checked in" in page and "since 18:58" in page
    assert intervals_of(app, codes["id"]) == {
        "Dana Kowalski": [(START - timedelta(minutes=2), None, "checkin")]
    }
    reveal(sam, codes["id"])
    clock.now = END - timedelta(minutes=1)
    out = dana.post("/checkout", {"code": codes["checkout"].lower()})
    assert out.status_code == 302
    assert "You're checked out" in dana.get(out.headers["Location"]).get_data(as_text=True)
    assert intervals_of(app, codes["id"]) == {
        "Dana Kowalski": [(START - timedelta(minutes=2), END - timedelta(minutes=1), "checkin")]
    }
    roster = sam.get(f"/facilitator/sessions/{codes['id']}/roster").get_data(as_text=True)
    assert "<strong>59</strong> of 60 min" in roster and "Gets a slip" in roster


def test_check_out_works_only_after_the_facilitator_reveals_the_code(app, clock, codes, sam):
    dana = Browser(app.test_client())
    check_in(dana, codes["checkin"])
    dana.get(f"/checkin/{codes['checkin']}")
    early = dana.post("/checkout", {"code": codes["checkout"]})
    assert early.status_code == 409
    assert "when the facilitator shows" in early.get_data(as_text=True)
    reveal(sam, codes["id"])
    dana.get(f"/checkin/{codes['checkin']}")
    assert dana.post("/checkout", {"code": codes["checkout"]}).status_code == 302


def test_a_second_check_in_after_a_drop_adds_an_interval_to_the_same_person(app, clock, codes, sam):
    dana = Browser(app.test_client())
    check_in(dana, codes["checkin"])
    clock.now = START + timedelta(minutes=30)
    page = dana.get(f"/checkin/{codes['checkin']}").get_data(as_text=True)
    assert "Dropped out and back?" in page and 'name="name"' not in page  # no retyping
    assert dana.post(f"/checkin/{codes['checkin']}", {"again": "1"}).status_code == 302
    (only,) = intervals_of(app, codes["id"]).values()
    assert [joined for joined, _, _ in only] == [
        START - timedelta(minutes=2),
        START + timedelta(minutes=30),
    ]
    # Another device is someone else until proven otherwise: a typed name or email joins no
    # one (anyone holding the code could type them). The facilitator sees both entries.
    phone = Browser(app.test_client())
    clock.now = START + timedelta(minutes=40)
    check_in(phone, codes["checkin"], name="dana k", email="Dana.K@example.net")
    people = intervals_of(app, codes["id"])
    assert sorted(people) == ["Dana Kowalski", "dana k"]
    # One check-out closes them all: the latest now, the one a drop left open at its own
    # start (it counts nothing: when Dana dropped out is unknown), and says so.
    reveal(sam, codes["id"])
    clock.now = END
    dana.get(f"/checkin/{codes['checkin']}")
    done = dana.post("/checkout", {"code": codes["checkout"]})
    assert done.status_code == 302
    said = dana.get(done.headers["Location"]).get_data(as_text=True)
    assert "You're checked out" in said and "earlier check-in at 18:58" in said
    people = intervals_of(app, codes["id"])
    assert [left for _, left, _ in people["Dana Kowalski"]] == [START - timedelta(minutes=2), END]
    assert [left for _, left, _ in people["dana k"]] == [None]


def test_without_the_browser_memory_check_out_needs_name_and_email(app, clock, codes, sam):
    check_in(Browser(app.test_client()), codes["checkin"], email="dana@example.net")
    reveal(sam, codes["id"])
    clock.now = END
    other = Browser(app.test_client())
    form = other.get(f"/checkout/{codes['checkout']}").get_data(as_text=True)
    assert 'name="name"' in form
    nameless = other.post("/checkout", {"code": codes["checkout"]})
    assert nameless.status_code == 400 and "Enter the name you checked in with" in nameless.text
    # Anyone in the meeting knows the code: a name alone must not cut someone's time short.
    name_only = other.post("/checkout", {"code": codes["checkout"], "name": "DANA  kowalski"})
    assert name_only.status_code == 409 and "no open check-in" in name_only.text
    assert intervals_of(app, codes["id"])["Dana Kowalski"][0][1] is None
    # The right email under another name is not enough either.
    misnamed = other.post(
        "/checkout", {"code": codes["checkout"], "name": "Lee Park", "email": "dana@example.net"}
    )
    assert misnamed.status_code == 409 and "no open check-in" in misnamed.text
    assert intervals_of(app, codes["id"])["Dana Kowalski"][0][1] is None
    named = other.post(
        "/checkout",
        {"code": codes["checkout"], "name": "DANA  kowalski", "email": "Dana@example.net"},
    )
    assert named.status_code == 200 and "checked out at" in named.text
    assert intervals_of(app, codes["id"])["Dana Kowalski"][0][1] == END
    # Found by name and email, the person is not remembered here: whoever typed them sees
    # nothing of theirs afterwards.
    later = other.get(f"/checkin/{codes['checkin']}").text
    assert "Dana Kowalski" not in later and "/me/" not in later
    fresh = Browser(app.test_client())
    fresh.get(f"/checkout/{codes['checkout']}")
    stranger = fresh.post(
        "/checkout", {"code": codes["checkout"], "name": "Nobody Here", "email": "n@example.net"}
    )
    assert stranger.status_code == 409 and "no open check-in" in stranger.text


def test_not_you_forgets_the_person_on_this_device(app, clock, codes):
    shared = Browser(app.test_client())
    check_in(shared, codes["checkin"])
    shared.get(f"/checkin/{codes['checkin']}")
    assert shared.post("/checkin/forget", {"code": codes["checkin"]}).status_code == 302
    page = shared.get(f"/checkin/{codes['checkin']}").get_data(as_text=True)
    assert 'name="name"' in page and "Dana Kowalski" not in page


def test_a_signed_session_takes_no_check_ins(app, clock, codes, sam):
    clock.now = END
    sam.get(f"/facilitator/sessions/{codes['id']}/sign")
    sam.post(f"/facilitator/sessions/{codes['id']}/sign")
    response = Browser(app.test_client()).get(f"/checkin/{codes['checkin']}")
    assert response.status_code == 409 and "signed already" in response.text


@pytest.mark.parametrize(
    ("moment", "usable"),
    [
        (START - timedelta(minutes=31), False),
        (START - timedelta(minutes=30), True),
        (START + timedelta(minutes=10), True),
        (END + timedelta(minutes=60), True),
        (END + timedelta(minutes=61), False),
        (START + timedelta(days=7), False),
    ],
)
def test_codes_work_from_30_minutes_before_until_an_hour_after(app, clock, codes, moment, usable):
    clock.now = moment
    browser = Browser(app.test_client())
    page = browser.get(f"/checkin/{codes['checkin']}")
    assert page.status_code == (200 if usable else 409)
    if not usable:
        assert "opens at" in page.text or "closed at" in page.text
        # Posting directly is refused too, and nothing is recorded.
        refused = browser.post(f"/checkin/{codes['checkin']}", {"name": "Dana"})
        assert refused.status_code == 409 and intervals_of(app, codes["id"]) == {}


def test_the_window_message_is_in_the_meetings_zone(app, clock, codes):
    clock.now = START - timedelta(hours=2)
    page = Browser(app.test_client()).get(f"/checkin/{codes['checkin']}").text
    assert "Check-in opens at 18:30 on Tuesday 04 March (America/Chicago)" in page


def test_production_uses_the_real_clock(app, codes):
    assert "CLOCK" not in app.config
    response = Browser(app.test_client()).get(f"/checkin/{codes['checkin']}")
    assert response.status_code == 409  # the 2025 session is long over


def test_a_wrong_code_is_refused(app, clock, codes):
    browser = Browser(app.test_client())
    for url in ["/checkin/WRONGWRONGWRONGW", "/checkin/not-a-code", "/checkout/ABCDABCDABCDABCD"]:
        response = browser.get(url)
        assert response.status_code == 404 and "No meeting has this code" in response.text
    typed = browser.post("/checkin", {"code": "2222-3333-4444-5555"})
    assert typed.status_code == 404 and 'id="code-error"' in typed.text


def test_a_check_in_code_typed_at_check_out_is_recognised(app, clock, codes, sam):
    reveal(sam, codes["id"])
    browser = Browser(app.test_client())
    browser.get(f"/checkout/{codes['checkout']}")
    answer = browser.post("/checkout", {"code": codes["checkin"], "name": "Dana"})
    assert answer.status_code == 400 and "This is the check-in code" in answer.text


def test_typing_a_code_leads_to_check_in_or_check_out(app, clock, codes):
    browser = Browser(app.test_client())
    browser.get("/checkin")
    code = codes["checkin"]
    spaced = f" {code[:4].lower()} {code[4:8]}-{code[8:]} "
    first = browser.post("/checkin", {"code": spaced})
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/checkin/{code}")
    second = browser.post("/checkin", {"code": codes["checkout"]})
    assert second.headers["Location"].endswith(f"/checkout/{codes['checkout']}")


def test_wrong_codes_are_rate_limited_but_right_ones_never_are(app, clock, codes):
    browser = Browser(app.test_client())
    for _ in range(15):
        assert browser.get(f"/checkin/{codes['checkin']}").status_code == 200
    statuses = [browser.get(f"/checkin/WRONG{n:011d}").status_code for n in range(10)]
    assert statuses == [404] * 10
    limited = browser.get("/checkin/WRONG99999999999")
    assert limited.status_code == 429
    assert "Too many wrong codes" in limited.text and "Wait a minute" in limited.text
    assert browser.post("/checkin", {"code": "WRONG88888888888"}).status_code == 429
    # Whoever shares the address (a clinic, a group home) still checks in with the right code.
    assert browser.get(f"/checkin/{codes['checkin']}").status_code == 200
    typed = browser.post("/checkin", {"code": codes["checkin"]})
    assert typed.status_code == 302


def test_rate_limits_can_be_turned_off_for_benchmarks(tmp_path, database_url, monkeypatch):
    from compliance import create_app

    monkeypatch.setenv("COMPLIANCE_RATELIMIT_ENABLED", "false")
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "KEYS_DIR": str(tmp_path)}
    )
    client = app.test_client()
    assert all(client.get("/checkin/WRONGWRONGWRONGW").status_code == 404 for _ in range(12))


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "", "email": ""}, "Enter the name to print on your slip."),
        ({"name": "x" * 81, "email": ""}, "Use at most 80 characters."),
        ({"name": "Dana", "email": "dana-at-example"}, "Enter an email address"),
        ({"name": "Dana\u0007", "email": ""}, "invisible character (U+0007"),
    ],
)
def test_check_in_form_errors(app, clock, codes, form, message):
    browser = Browser(app.test_client())
    browser.get(f"/checkin/{codes['checkin']}")
    response = browser.post(f"/checkin/{codes['checkin']}", form)
    assert response.status_code == 400 and message in response.text
    assert intervals_of(app, codes["id"]) == {}


def test_an_open_check_in_counts_nothing_until_closed(app, clock, codes, sam):
    check_in(Browser(app.test_client()), codes["checkin"])
    roster = sam.get(f"/facilitator/sessions/{codes['id']}/roster").text
    assert "<strong>0</strong> of 60 min" in roster and "Checked in, not checked out" in roster
    clock.now = END
    sam.get(f"/facilitator/sessions/{codes['id']}/sign")
    signed = sam.post(f"/facilitator/sessions/{codes['id']}/sign")
    assert "0 slips issued" in sam.get(signed.headers["Location"]).text


@pytest.mark.skipif(
    not os.environ.get("COMPLIANCE_TEST_REDIS_URL"), reason="COMPLIANCE_TEST_REDIS_URL is not set"
)
def test_wrong_codes_are_counted_across_hosts_in_redis(tmp_path, database_url):
    """Two app instances (two hosts) share one budget of wrong codes through Redis."""
    from compliance import create_app

    # COMPLIANCE_TEST_REDIS_URL names a database kept for tests: start and end it empty.
    store = redis.Redis.from_url(os.environ["COMPLIANCE_TEST_REDIS_URL"])
    store.flushdb()
    prefix = f"test-{uuid.uuid4().hex}"
    hosts = [
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "KEYS_DIR": str(tmp_path),
                "REDIS_URL": os.environ["COMPLIANCE_TEST_REDIS_URL"],
                "RATELIMIT_KEY_PREFIX": prefix,
            }
        )
        for _ in range(2)
    ]
    assert all(h.config["RATELIMIT_STORAGE_URI"].startswith("redis://") for h in hosts)
    statuses = [
        hosts[n % 2].test_client().get(f"/checkin/WRONG{n:011d}").status_code for n in range(10)
    ]
    assert statuses == [404] * 10
    assert hosts[0].test_client().get("/checkin/WRONGWRONGWRONGW").status_code == 429
    # The count lives in Redis, where every host sees it. (The limiter is one object per
    # process and keeps the key prefix it was first given, so look for the scope instead.)
    assert any(b"codes" in key for key in store.keys("*"))
    store.flushdb()
