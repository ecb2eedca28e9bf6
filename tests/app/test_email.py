"""Email through a real SMTP server on loopback: what is sent, when, in which language; links
that prove an address; delivery that loses nothing and sends nothing twice."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import Attendee, OutboxMessage
from compliance.models.outbox import MailStatus
from compliance.models.types import utcnow
from compliance.services import mail_delivery
from tests.app.checkin_steps import END, START, check_in
from tests.app.journey import at, attend, create_meeting, open_session
from tests.app.web_session import Browser, csrf_from
from tests.support.pdf_tools import decode_qr_texts, pdf_text, qpdf_check, render_pages
from tests.support.smtp import SmtpServer, html_of, pdf_attachments, text_of

LINK = re.compile(r"https://verify\.example\.org(/me/[^\s\"<]+)")


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


def send_mail(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def link_in(message) -> str:
    return LINK.search(text_of(message)).group(1)


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.created_at))
        return [(r.kind, r.to_address, r.status, r.attempts) for r in rows]


def checked_in(app, clock, code: str, name: str, email: str, language: str = "en") -> Browser:
    browser = Browser(app.test_client())
    browser.get(f"/checkin/{code}?lang={language}")
    clock.now = START
    answer = check_in(browser, code, name=name, email=email)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return browser


def sign(app, clock, facilitator, session_id: str) -> list[dict]:
    clock.now = END
    answer = facilitator.post(f"/api/v1/sessions/{session_id}/finalize")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["records"]


# --- the attendee's journey by email --------------------------------------------------------


def test_check_in_mail_proves_the_address_and_the_slip_arrives_with_its_pdf(
    app, clock, codes, facilitator, smtp, runner, tmp_path
):
    dana = checked_in(app, clock, codes["checkin"], "Dana Kowalski", "Dana.K@example.net")
    assert outbox_rows(app) == [("checkin", "dana.k@example.net", "queued", 0)]
    assert "Sent 1," in send_mail(runner)
    (welcome,) = smtp.inbox.to("dana.k@example.net")
    assert "Tuesday Evening Recovery Circle" in welcome["Subject"]
    assert "Dana Kowalski" in text_of(welcome) and "<a href=" in html_of(welcome)
    assert "<img" not in html_of(welcome)  # no tracking pixels

    followed = dana.client.get(link_in(welcome))
    assert followed.status_code == 303
    page_path = followed.headers["Location"].removeprefix("https://verify.example.org")
    page = dana.get(page_path).get_data(as_text=True)
    assert "Confirmed email: dana.k@example.net" in page

    attend(facilitator, codes["id"], "Dana Kowalski", at("19:00"), at("20:00"))
    (record,) = sign(app, clock, facilitator, codes["id"])
    send_mail(runner)
    slip_mail = smtp.inbox.to("dana.k@example.net")[-1]
    assert record["code"] in text_of(slip_mail)
    (pdf,) = pdf_attachments(slip_mail)
    qpdf_check(pdf)
    (png,) = render_pages(pdf, directory=tmp_path)
    (scanned,) = decode_qr_texts(png)
    assert scanned == record["verify_url"]
    verdict = app.test_client().get(f"/api/v1/verify/{record['token']}").get_json()
    assert verdict["status"] == "valid" and verdict["record"]["name"] == "Dana Kowalski"
    # The slip mail's link is the page itself, where the slip now is.
    assert link_in(slip_mail) == page_path
    assert record["code"] in app.test_client().get(page_path).get_data(as_text=True)


def test_an_imported_attendees_slip_mail_link_proves_the_address_and_opens_their_page(
    app, facilitator, smtp, runner
):
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    attend(facilitator, session["id"], "Lee Park", at("19:00"), at("20:00"), "lee@example.net")
    (record,) = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    send_mail(runner)
    (mail,) = smtp.inbox.to("lee@example.net")
    client = app.test_client()
    followed = client.get(link_in(mail))
    assert followed.status_code == 303
    page = client.get(followed.headers["Location"]).get_data(as_text=True)
    assert record["code"] in page and "Confirmed email: lee@example.net" in page


def test_a_second_record_joins_the_proven_page_when_its_link_is_followed(
    app, facilitator, smtp, runner
):
    client = app.test_client()
    pages = set()
    for day in ("2025-03-04", "2025-03-11"):
        meeting = create_meeting(facilitator)
        session = open_session(
            facilitator, meeting["id"], starts_at=f"{day}T19:00:00-06:00",
            ends_at=f"{day}T20:00:00-06:00",
        )  # fmt: skip
        attend(facilitator, session["id"], "Lee Park", f"{day}T19:00:00-06:00",
               f"{day}T20:00:00-06:00", "lee@example.net")  # fmt: skip
        facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
        send_mail(runner)
        pages.add(client.get(link_in(smtp.inbox.to("lee@example.net")[-1])).headers["Location"])
    (page,) = pages
    assert client.get(page).get_data(as_text=True).count("record-row") == 2


def test_a_spanish_check_in_gets_spanish_mail(app, clock, codes, smtp, runner):
    checked_in(app, clock, codes["checkin"], "Ana Ruiz", "ana@example.net", language="es")
    send_mail(runner)
    (mail,) = smtp.inbox.to("ana@example.net")
    assert mail["Content-Language"] == "es"
    assert "Su página de asistencia" in mail["Subject"]
    assert "Registró su entrada" in text_of(mail) and 'lang="es"' in html_of(mail)


def test_mail_goes_to_the_typed_address_only_and_says_nothing_of_anyone_else(
    app, clock, codes, facilitator, smtp, runner
):
    checked_in(app, clock, codes["checkin"], "Dana Kowalski", "dana@example.net")
    checked_in(app, clock, codes["checkin"], "Lee Park", "lee@example.net")
    attend(facilitator, codes["id"], "Dana Kowalski", at("19:00"), at("20:00"))
    attend(facilitator, codes["id"], "Lee Park", at("19:00"), at("20:00"))
    sign(app, clock, facilitator, codes["id"])
    send_mail(runner)
    assert len(smtp.inbox.messages) == 4
    for address, other in (("dana@example.net", "Lee"), ("lee@example.net", "Dana")):
        for message in smtp.inbox.to(address):
            # What a person reads: subject, both parts and the attached slip's text (the base64
            # of a PDF may spell anything).
            readable = [message["Subject"], text_of(message), html_of(message)]
            readable += [pdf_text(pdf) for pdf in pdf_attachments(message)]
            assert not any(other in part for part in readable), address


def test_a_link_for_someone_elses_address_proves_nothing_until_followed(
    app, clock, codes, facilitator, smtp, runner
):
    """Frank types Carl's address: Carl's page gets nothing unless Carl follows the link."""
    carl = checked_in(app, clock, codes["checkin"], "Carl Cole", "carl@example.net")
    send_mail(runner)
    carls_page = carl.client.get(link_in(smtp.inbox.to("carl@example.net")[0])).headers["Location"]
    later = open_session(
        facilitator, create_meeting(facilitator)["id"], starts_at="2025-03-04T19:00:00-06:00",
        ends_at="2025-03-04T20:00:00-06:00",
    )  # fmt: skip
    checked_in(app, clock, later["checkin_code"], "Frank Friend", "carl@example.net")
    attend(facilitator, later["id"], "Frank Friend", at("19:00"), at("20:00"))
    (franks,) = sign(app, clock, facilitator, later["id"])
    assert franks["code"] not in app.test_client().get(carls_page).get_data(as_text=True)


# --- recovery and rotation -------------------------------------------------------------------


def proven_page_of(app, clock, codes, smtp, runner, email: str) -> str:
    browser = checked_in(app, clock, codes["checkin"], "Dana Kowalski", email)
    send_mail(runner)
    followed = browser.client.get(link_in(smtp.inbox.to(email)[-1]))
    return followed.headers["Location"].removeprefix("https://verify.example.org")


def ask_for_link(app, email: str):
    browser = Browser(app.test_client())
    browser.get("/me/recover")
    return browser.post("/me/recover", {"email": email})


def test_recovery_sends_the_link_to_a_proven_address_and_answers_the_same_for_any(
    app, clock, codes, smtp, runner
):
    page = proven_page_of(app, clock, codes, smtp, runner, "dana@example.net")
    known, unknown = ask_for_link(app, "DANA@example.net"), ask_for_link(app, "x@example.net")
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'value="[^"]{40,}"', "", html)  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    send_mail(runner)
    recovered = smtp.inbox.to("dana@example.net")[-1]
    assert "link to your attendance page" in recovered["Subject"].lower()
    assert link_in(recovered) == page
    assert smtp.inbox.to("x@example.net") == []


def test_recovery_is_rate_limited_per_address_whoever_asks(app, clock, codes, smtp, runner):
    proven_page_of(app, clock, codes, smtp, runner, "dana@example.net")
    answers = [ask_for_link(app, "dana@example.net").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert ask_for_link(app, "other@example.net").status_code == 200


def test_a_rotated_page_link_retires_the_old_one(app, clock, codes, smtp, runner):
    old = proven_page_of(app, clock, codes, smtp, runner, "dana@example.net")
    client = app.test_client()
    token = csrf_from(client.get(old).get_data(as_text=True))
    rotated = client.post(f"{old}/rotate", data={"csrf_token": token})
    assert rotated.status_code == 303
    new = rotated.headers["Location"].removeprefix("https://verify.example.org")
    assert new != old
    assert client.get(new).status_code == 200 and client.get(old).status_code == 404
    ask_for_link(app, "dana@example.net")
    send_mail(runner)
    assert link_in(smtp.inbox.to("dana@example.net")[-1]) == new


# --- delivery: retries, failures, two senders -----------------------------------------------


def queue_checkins(app, clock, codes, count: int) -> list[str]:
    addresses = [f"person{n}@example.net" for n in range(count)]
    for number, address in enumerate(addresses):
        checked_in(app, clock, codes["checkin"], f"Person {number}", address)
    return addresses


def make_due(app) -> None:
    with app.app_context():
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()


def test_with_the_server_down_nothing_is_lost(app, clock, codes, smtp, runner):
    queue_checkins(app, clock, codes, 3)
    smtp.stop()
    output = send_mail(runner)
    assert "Sent 0, will retry 3" in output
    assert {row[2:] for row in outbox_rows(app)} == {("queued", 1)}
    assert "Sent 0, will retry 0" in send_mail(runner)  # not due yet: backoff
    smtp.start()
    make_due(app)
    assert "Sent 3," in send_mail(runner)
    assert len(smtp.inbox.messages) == 3


def test_a_server_that_stops_mid_batch_loses_nothing_and_sends_nothing_twice(
    app, clock, codes, smtp, runner
):
    addresses = queue_checkins(app, clock, codes, 8)
    smtp.inbox.stop_after = 3
    stopper = threading.Thread(target=lambda: (smtp.inbox.on_limit.wait(10), smtp.stop()))
    stopper.start()
    send_mail(runner)
    stopper.join()
    assert len(smtp.inbox.messages) == 3
    rows = outbox_rows(app)
    assert sum(1 for row in rows if row[2] == "sent") == 3
    assert sum(1 for row in rows if row[2] == "queued") == 5
    smtp.inbox.stop_after = None
    smtp.start()
    make_due(app)
    send_mail(runner)
    received = sorted(m["To"] for m in smtp.inbox.messages)
    assert received == sorted(addresses)  # each once
    assert {row[2] for row in outbox_rows(app)} == {"sent"}


def test_a_message_gives_up_after_the_last_try_and_an_admin_can_retry_it(
    app, clock, codes, smtp, runner
):
    queue_checkins(app, clock, codes, 1)
    smtp.stop()
    for _ in range(mail_delivery.MAX_ATTEMPTS):
        make_due(app)
        send_mail(runner)
    assert outbox_rows(app)[0][2:] == ("failed", mail_delivery.MAX_ATTEMPTS)
    from compliance.services import accounts
    from tests.app.web_session import signed_in

    with app.app_context():
        accounts.create_user("root@example.org", "Root A.", "admin")
    admin = signed_in(app, "root@example.org")
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert "person0@example.net" in page and "failed" in page
    assert "Open your attendance page" not in page and "/me/" not in page  # no bodies
    with app.app_context():
        message_id = db.session.scalar(sa.select(OutboxMessage.id))
    assert admin.post(f"/admin/outbox/{message_id}/retry").status_code == 303
    smtp.start()
    send_mail(runner)
    assert outbox_rows(app)[0][2] == "sent" and len(smtp.inbox.messages) == 1


def test_two_senders_at_once_never_send_a_message_twice(app, clock, codes, smtp, database_url):
    """Two workers against one database, as on two hosts (PostgreSQL: SKIP LOCKED)."""
    addresses = queue_checkins(app, clock, codes, 40)
    senders = 2 if database_url.startswith("postgresql") else 1  # SQLite: one sender is enough
    results, errors = [], []

    def run_sender():
        try:
            with app.app_context():
                results.append(mail_delivery.deliver_due(batch=5))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run_sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r.sent for r in results) == 40
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(addresses)


def test_the_worker_delivers_and_stops_when_told(app, clock, codes, smtp, runner):
    queue_checkins(app, clock, codes, 2)
    result = runner.invoke(args=["mail", "worker", "--once", "--interval", "0.1"])
    assert result.exit_code == 0, result.output
    assert len(smtp.inbox.messages) == 2


# --- email off --------------------------------------------------------------------------------


def test_with_email_off_nothing_is_queued_and_the_pages_say_so(app, clock, codes, runner):
    assert not app.config.get("SMTP_URL")
    browser = Browser(app.test_client())
    form = browser.get(f"/checkin/{codes['checkin']}").get_data(as_text=True)
    assert "This service sends no email" in form
    checked_in(app, clock, codes["checkin"], "Dana Kowalski", "dana@example.net")
    assert outbox_rows(app) == []
    assert "sends no email" in browser.get("/me/recover").get_data(as_text=True)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code != 0 and "COMPLIANCE_SMTP_URL is not set" in result.output


def test_signing_queues_the_slip_mails_in_the_same_transaction(
    app, clock, codes, facilitator, smtp
):
    checked_in(app, clock, codes["checkin"], "Dana Kowalski", "dana@example.net")
    attend(facilitator, codes["id"], "Dana Kowalski", at("19:00"), at("20:00"))
    clock.now = END - timedelta(minutes=1)
    assert facilitator.post(f"/api/v1/sessions/{codes['id']}/finalize").status_code == 409
    assert [row[0] for row in outbox_rows(app)] == ["checkin"]
    sign(app, clock, facilitator, codes["id"])
    assert [row[0] for row in outbox_rows(app)] == ["checkin", "slip"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendee)) >= 1
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status == MailStatus.QUEUED
            )
        ) == 2


def test_purge_forgets_old_mail_but_not_mail_still_waiting(app, clock, codes, smtp, runner):
    queue_checkins(app, clock, codes, 2)
    send_mail(runner)
    queue_checkins(app, clock, codes, 1)
    with app.app_context():
        old = utcnow() - timedelta(days=40)
        db.session.execute(sa.update(OutboxMessage).values(created_at=old))
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "2 old mails" in result.output
    assert [row[2] for row in outbox_rows(app)] == ["queued"]


def test_no_dead_ends_after_check_out_or_once_the_meeting_is_signed(
    app, clock, codes, facilitator, sam
):
    from tests.app.checkin_steps import reveal

    dana = checked_in(app, clock, codes["checkin"], "Dana Kowalski", "")
    reveal(sam, codes["id"])
    clock.now = END
    dana.get(f"/checkout/{codes['checkout']}")
    done = dana.post("/checkout", {"code": codes["checkout"]})
    confirmation = dana.get(done.headers["Location"]).get_data(as_text=True)
    assert "You're checked out" in confirmation and "Open my attendance page" in confirmation
    sign(app, clock, facilitator, codes["id"])
    closed = Browser(app.test_client()).get(f"/checkin/{codes['checkin']}")
    assert closed.status_code == 409
    assert "/me/recover" in closed.get_data(as_text=True)
    assert "on your attendance page" in closed.get_data(as_text=True)
