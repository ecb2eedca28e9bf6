"""Check-in steps shared by the app tests: a settable clock, a session's codes, helpers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import Participant
from tests.app.web_session import Browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on 4 March
END = START + timedelta(hours=1)


class Clock:
    """The check-in clock, set by each test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def reveal(sam: Browser, session_id: str):
    sam.get(f"/facilitator/sessions/{session_id}")
    assert sam.post(f"/facilitator/sessions/{session_id}/reveal-checkout").status_code == 302


def intervals_of(app, session_id) -> dict[str, list[tuple]]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Participant).where(Participant.session_id == session_id)
        )
        return {p.name: [(i.joined_at, i.left_at, i.source) for i in p.intervals] for p in rows}


def check_in(browser: Browser, code: str, name="Dana Kowalski", email="dana.k@example.net"):
    page = browser.get(f"/checkin/{code}")
    assert page.status_code == 200, page.get_data(as_text=True)
    return browser.post(f"/checkin/{code}", {"name": name, "email": email})
