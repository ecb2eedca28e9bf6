"""Fixtures for app tests that drive check-in: the clock, a session's codes, the facilitator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from compliance.extensions import db
from compliance.models import MeetingSession
from tests.app.checkin_steps import START, Clock
from tests.app.journey import create_meeting, open_session
from tests.app.web_session import signed_in


@pytest.fixture
def clock(app) -> Clock:
    clock = Clock(START - timedelta(minutes=2))
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def codes(app, facilitator) -> dict:
    meeting = create_meeting(facilitator)
    session = open_session(facilitator, meeting["id"])
    with app.app_context():
        row = db.session.get(MeetingSession, session["id"])
        return {"id": row.id, "checkin": row.checkin_code, "checkout": row.checkout_code}


@pytest.fixture
def sam(app, facilitator):
    return signed_in(app, facilitator.email)
