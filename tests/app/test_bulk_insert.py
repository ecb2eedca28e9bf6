"""Bulk inserts store what an INSERT would, COPY or not, and fail the way SQLAlchemy does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from compliance.extensions import db
from compliance.models import Interval, Participant
from compliance.models.types import new_id
from compliance.storage.bulk_insert import insert_rows, insert_tuples
from tests.app.journey import create_meeting, open_session

NOON = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def _person(session_id: str, name: str, **extra) -> dict:
    row = {
        "id": new_id(),
        "session_id": session_id,
        "name": name,
        "name_key": name.casefold(),
        "email": None,
        "is_host": False,
        "created_at": NOON,
        "reported_total_seconds": None,
    }
    return row | extra


def test_rows_read_back_exactly_as_written(app, facilitator):
    session_id = open_session(facilitator, create_meeting(facilitator)["id"])["id"]
    chicago = timezone(timedelta(hours=-6))
    people = [
        _person(session_id, "Dana Kowalski", email="dana@example.org", is_host=True),
        _person(session_id, 'Zoë "Z" O\'Brien, Jr.\ttab\\slash', reported_total_seconds=3600),
    ]
    intervals = [
        {
            "id": new_id(),
            "participant_id": people[0]["id"],
            "joined_at": NOON,
            "left_at": NOON.astimezone(chicago) + timedelta(minutes=45),  # stored as UTC
            "source": "zoom",
            "note": None,
            "created_at": NOON,
        },
        {
            "id": new_id(),
            "participant_id": people[1]["id"],
            "joined_at": NOON,
            "left_at": None,
            "source": "manual",
            "note": "line 1\nline 2",
            "created_at": NOON,
        },
    ]
    # Keys in another order than the table's columns, one datetime repeated in another zone.
    intervals = [dict(reversed(interval.items())) for interval in intervals]
    intervals[1]["created_at"] = NOON.astimezone(chicago)
    with app.app_context():
        connection = db.session.connection()
        insert_rows(connection, Participant.__table__, people)
        insert_rows(connection, Interval.__table__, intervals)
        insert_rows(connection, Interval.__table__, [])
        db.session.commit()
        stored = {p.id: p for p in db.session.scalars(sa.select(Participant))}
        for row in people:
            person = stored[row["id"]]
            assert (person.name, person.email, person.is_host) == (
                row["name"],
                row["email"],
                row["is_host"],
            )
            assert person.reported_total_seconds == row["reported_total_seconds"]
            assert person.created_at == NOON and person.created_at.tzinfo is UTC
        by_id = {i.id: i for i in db.session.scalars(sa.select(Interval))}
        assert by_id[intervals[0]["id"]].left_at == NOON + timedelta(minutes=45)
        assert by_id[intervals[0]["id"]].left_at.tzinfo is UTC
        assert by_id[intervals[1]["id"]].left_at is None
        assert by_id[intervals[1]["id"]].note == "line 1\nline 2"
        assert {i.created_at for i in by_id.values()} == {NOON}
        assert {i.source for i in by_id.values()} == {"zoom", "manual"}


def test_a_bad_row_raises_sqlalchemys_error_and_the_rollback_leaves_nothing(app, facilitator):
    session_id = open_session(facilitator, create_meeting(facilitator)["id"])["id"]
    good = _person(session_id, "Dana Kowalski")
    same_id = _person(session_id, "Sam R.", id=good["id"])
    with app.app_context():
        with pytest.raises(IntegrityError):
            insert_rows(db.session.connection(), Participant.__table__, [good, same_id])
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 0


def test_tuples_of_some_columns_store_the_others_empty(app, facilitator):
    session_id = open_session(facilitator, create_meeting(facilitator)["id"])["id"]
    person = _person(session_id, "Dana Kowalski")
    names = ("participant_id", "id", "joined_at", "source", "created_at")  # no note, no left_at
    rows = [(person["id"], new_id(), NOON + timedelta(minutes=n), "zoom", NOON) for n in range(3)]
    with app.app_context():
        connection = db.session.connection()
        insert_rows(connection, Participant.__table__, [person])
        insert_tuples(connection, Interval.__table__, names, rows)
        db.session.commit()
        stored = {i.id: i for i in db.session.scalars(sa.select(Interval))}
        assert set(stored) == {row[1] for row in rows}
        for _, interval_id, joined, _, _ in rows:
            interval = stored[interval_id]
            assert (interval.participant_id, interval.joined_at) == (person["id"], joined)
            assert interval.left_at is None and interval.note is None
