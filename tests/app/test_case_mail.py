"""Case mail: the officer's weekly digest of cases behind, the attendee's reminder of a week
closing short; each queued once, in the right language, and both can be turned off."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import Attendee, OutboxMessage, User
from compliance.models.types import utcnow
from tests.app.cases import LABEL, create_case, dana_page, link
from tests.app.web_session import Browser, signed_in
from tests.conftest import make_api_user
from tests.support.smtp import SmtpServer, text_of

DANA_EMAIL = "dana.k@example.net"


@pytest.fixture
def smtp(app):
    server = SmtpServer()
    server.start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


@pytest.fixture
def officer(app):
    return make_api_user(app, "olive@example.org", "Olive O.", role="officer")


@pytest.fixture
def linked(app, facilitator, officer):
    """Dana's page (a proven email, Spanish) with one meeting in week one of two a week."""
    page, _ = dana_page(app, facilitator, ["2025-03-04"])
    with app.app_context():
        attendee = db.session.scalar(sa.select(Attendee).where(Attendee.name == "Dana Kowalski"))
        attendee.email, attendee.email_proven_at, attendee.language = DANA_EMAIL, utcnow(), "es"
        db.session.commit()
    case = create_case(officer, requirement={"per_week": 2, "weeks": 2})
    link(app, page, case["enrolment_code"])
    return page, case


def notify(runner) -> str:
    result = runner.invoke(args=["cases", "notify"])
    assert result.exit_code == 0, result.output
    return result.output


def send(runner) -> None:
    assert runner.invoke(args=["mail", "send"]).exit_code == 0


def queued(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.created_at))
        return [(row.kind, row.to_address) for row in rows]


def test_a_reminder_when_the_week_is_about_to_close_short(app, runner, smtp, linked):
    app.config["CLOCK"] = lambda: datetime(2025, 3, 6, 18, tzinfo=UTC)  # Thursday: time left
    assert "0 officer digests and 0 reminders" in notify(runner)
    app.config["CLOCK"] = lambda: datetime(2025, 3, 8, 18, tzinfo=UTC)  # Saturday, 1 of 2
    assert "1 reminders" in notify(runner)
    notify(runner)  # again the same day: nothing new
    assert queued(app) == [("case_reminder", DANA_EMAIL)]
    send(runner)
    (message,) = smtp.inbox.to(DANA_EMAIL)
    text = text_of(message)
    assert "Usted comparte su progreso con Olive O." in text and "1 de las 2" in text
    assert "2025-03-09" in text and "/me/" in text
    assert LABEL not in text and "DOCKET" not in text


def test_the_attendee_can_turn_reminders_off(app, runner, smtp, linked):
    page, _ = linked
    browser = Browser(app.test_client())
    browser.get(page)
    browser.post(f"{page}/cases/reminders", {})
    app.config["CLOCK"] = lambda: datetime(2025, 3, 8, 18, tzinfo=UTC)
    assert "0 reminders" in notify(runner)
    browser.post(f"{page}/cases/reminders", {"reminders": "on"})
    assert "1 reminders" in notify(runner)


def test_the_officer_digest_lists_cases_behind_once_a_week(app, runner, smtp, officer, linked):
    on_track = create_case(officer, label="Fine so far", requirement={"meetings": 1, "days": 900})
    assert on_track
    app.config["CLOCK"] = lambda: datetime(2025, 3, 11, 18, tzinfo=UTC)  # week one closed short
    assert "1 officer digests" in notify(runner)
    app.config["CLOCK"] = lambda: datetime(2025, 3, 12, 18, tzinfo=UTC)  # same ISO week
    assert "0 officer digests" in notify(runner)
    send(runner)
    (message,) = smtp.inbox.to(officer.email)
    text = text_of(message)
    assert message["Subject"] == "1 of your cases is behind"
    assert f"{LABEL}: 1 of 4" in text and "Fine so far" not in text
    assert "https://verify.example.org/officer/" in text


def test_the_officer_can_turn_the_digest_off(app, runner, smtp, officer, linked):
    olive = signed_in(app, officer.email)
    olive.get("/officer/")
    assert olive.post("/officer/digest", {}).status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(sa.select(User.case_digest).where(User.email == officer.email))
            is False
        )
    app.config["CLOCK"] = lambda: datetime(2025, 3, 11, 18, tzinfo=UTC)
    assert "0 officer digests" in notify(runner)


def test_without_mail_nothing_is_queued(app, runner, linked):
    app.config["CLOCK"] = lambda: datetime(2025, 3, 11, 18, tzinfo=UTC)
    assert "sends no email" in notify(runner)
    assert queued(app) == []
