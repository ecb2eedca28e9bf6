"""Weekly meetings: the next sessions open on their own (no cron), each with its own codes;
a week can be skipped; the session list can show only what waits for a signature."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from compliance.domain.weekly import occurrences, window_on
from compliance.extensions import db
from compliance.models import Meeting, MeetingSession
from tests.app.journey import create_meeting

MONDAY = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)  # 09:00 in Chicago


@pytest.mark.parametrize(
    ("weekday", "first", "days", "skipped", "expected"),
    [
        (1, date(2025, 3, 3), 8, (), [date(2025, 3, 4)]),  # Tuesday after a Monday
        (0, date(2025, 3, 3), 8, (), [date(2025, 3, 3), date(2025, 3, 10)]),
        (0, date(2025, 3, 3), 8, (date(2025, 3, 3),), [date(2025, 3, 10)]),
        (6, date(2025, 3, 3), 3, (), []),
    ],
)
def test_occurrences(weekday, first, days, skipped, expected):
    assert occurrences(weekday, first, days, skipped) == expected


def test_a_weekly_time_keeps_its_wall_clock_across_a_clock_change():
    before = window_on(date(2025, 3, 4), datetime(2025, 1, 1, 19).time(), 60, "America/Chicago")
    after = window_on(date(2025, 3, 11), datetime(2025, 1, 1, 19).time(), 60, "America/Chicago")
    assert before[0].hour == 1 and after[0].hour == 0  # 19:00 CST, then 19:00 CDT
    assert after[1] - after[0] == timedelta(hours=1)


@pytest.fixture
def sam(app, facilitator):
    from tests.app.web_session import signed_in

    return signed_in(app, facilitator.email)


def make_weekly(app, sam, facilitator) -> str:
    meeting = create_meeting(facilitator)
    sam.get(f"/facilitator/meetings/{meeting['id']}/edit")
    saved = sam.post(
        f"/facilitator/meetings/{meeting['id']}/edit",
        {
            "name": meeting["name"],
            "program": meeting["program"],
            "platform": "Zoom",
            "timezone": meeting["timezone"],
            "usual_start": "19:00",
            "usual_minutes": "60",
            "weekly_day": "1",  # Tuesday
            "min_presence_percent": "80",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    return meeting["id"]


def sessions_of(app, meeting_id: str) -> list[MeetingSession]:
    with app.app_context():
        query = sa.select(MeetingSession).where(MeetingSession.meeting_id == meeting_id)
        rows = list(db.session.scalars(query.order_by(MeetingSession.starts_at)))
        db.session.expunge_all()
        return rows


def test_next_weeks_sessions_open_on_their_own_each_with_its_codes(app, sam, facilitator):
    app.config["CLOCK"] = lambda: MONDAY
    meeting_id = make_weekly(app, sam, facilitator)
    page = sam.get(f"/facilitator/meetings/{meeting_id}").get_data(as_text=True)
    assert "Coming weeks" in page and "Every Tuesday" in page
    (first,) = sessions_of(app, meeting_id)
    assert first.occurrence_date == date(2025, 3, 4)
    assert first.starts_at == datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    sam.get("/facilitator/")  # again: nothing opens twice
    assert len(sessions_of(app, meeting_id)) == 1
    app.config["CLOCK"] = lambda: MONDAY + timedelta(days=7)
    sam.get("/facilitator/")
    weeks = sessions_of(app, meeting_id)
    assert [s.occurrence_date for s in weeks] == [date(2025, 3, 4), date(2025, 3, 11)]
    assert len({s.checkin_code for s in weeks}) == 2
    assert weeks[1].starts_at == datetime(2025, 3, 12, 0, 0, tzinfo=UTC)  # 19:00 CDT


def test_a_skipped_week_does_not_open_and_an_opened_one_is_cancelled(app, sam, facilitator):
    app.config["CLOCK"] = lambda: MONDAY
    meeting_id = make_weekly(app, sam, facilitator)
    sam.get(f"/facilitator/meetings/{meeting_id}")
    skipped = sam.post(f"/facilitator/meetings/{meeting_id}/weeks/2025-03-04/skip")
    assert skipped.status_code == 302
    (only,) = sessions_of(app, meeting_id)
    assert only.status == "cancelled"
    code = only.checkin_code
    assert "cancelled" in app.test_client().get(f"/checkin/{code}").get_data(as_text=True)
    app.config["CLOCK"] = lambda: MONDAY + timedelta(days=7)
    sam.get("/facilitator/")
    assert [s.occurrence_date for s in sessions_of(app, meeting_id)] == [
        date(2025, 3, 4),
        date(2025, 3, 11),
    ]
    wrong_day = sam.post(f"/facilitator/meetings/{meeting_id}/weeks/2025-03-12/skip")
    assert wrong_day.status_code == 302
    assert "not a date this meeting repeats on" in sam.get(
        f"/facilitator/meetings/{meeting_id}"
    ).get_data(as_text=True)


def test_a_weekly_day_needs_the_usual_slot(app, sam, facilitator):
    meeting = create_meeting(facilitator)
    sam.get(f"/facilitator/meetings/{meeting['id']}/edit")
    refused = sam.post(
        f"/facilitator/meetings/{meeting['id']}/edit",
        {"name": "Circle", "program": meeting["program"], "platform": "Zoom",
         "timezone": meeting["timezone"], "weekly_day": "1", "min_presence_percent": "80"},
    )  # fmt: skip
    assert refused.status_code == 400 and "usual start and length first" in refused.text
    with app.app_context():
        assert db.session.get(Meeting, meeting["id"]).weekly_day is None


def test_two_requests_at_once_open_each_week_once(app, sam, facilitator, database_url):
    app.config["CLOCK"] = lambda: MONDAY
    meeting_id = make_weekly(app, sam, facilitator)
    from compliance.services import schedule

    racers = 1 if database_url.startswith("sqlite") else 4  # SQLite serialises its writers

    errors = []

    def open_weeks():
        try:
            with app.app_context():
                schedule.open_upcoming(db.session.get(Meeting, meeting_id), MONDAY)
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=open_weeks) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(sessions_of(app, meeting_id)) == 1


def test_the_session_list_shows_only_what_waits_for_a_signature(app, sam, facilitator):
    from tests.app.journey import open_session

    meeting = create_meeting(facilitator)
    past = open_session(facilitator, meeting["id"])  # 2025: over
    future = open_session(
        facilitator,
        meeting["id"],
        starts_at="2099-03-04T19:00:00-06:00",
        ends_at="2099-03-04T20:00:00-06:00",
    )
    page = sam.get(f"/facilitator/meetings/{meeting['id']}?show=to-sign").get_data(as_text=True)
    assert past["id"] in page and future["id"] not in page
