"""What never became a record is forgotten after the retention period; records stay."""

from datetime import timedelta

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AttendanceRecord, Interval, MeetingSession, Participant
from compliance.models.types import utcnow
from tests.app.journey import at, attend, create_meeting, open_session, signed_session
from tests.app.pages import page_of


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def end_sessions_days_ago(app, days: int) -> None:
    with app.app_context():
        for session in db.session.scalars(sa.select(MeetingSession)):
            shift = utcnow() - timedelta(days=days) - session.ends_at
            session.starts_at += shift
            session.ends_at += shift
        db.session.commit()


def test_purge_keeps_records_and_recent_check_ins(app, runner, facilitator):
    signed_session(facilitator)  # Dana gets a record, Lee (too short) does not
    meeting = create_meeting(facilitator)
    unsigned = open_session(facilitator, meeting["id"])
    attend(facilitator, unsigned["id"], "Kim Ode", at("19:00"), at("19:50"))
    assert count(app, Participant) == 3

    end_sessions_days_ago(app, 2)
    fresh = runner.invoke(args=["purge"])
    assert fresh.exit_code == 0 and "Deleted 0 participants" in fresh.output

    end_sessions_days_ago(app, 40)
    result = runner.invoke(args=["purge", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == "Deleted 2 participants, 2 intervals, 0 attendee pages without records, 0 old mails.\n"
    )
    progress = result.stderr.splitlines()
    assert "Deleting participants without a record and their intervals: 0/2 (0%)" in progress
    assert any(
        line.startswith(
            "Deleting participants without a record and their intervals: 2/2 (100%), done in"
        )
        for line in progress
    )
    assert progress[-1].startswith("Committing… done in")
    assert count(app, Participant) == 1  # Dana, whose record refers to her
    assert count(app, AttendanceRecord) == 1
    with app.app_context():
        remaining = db.session.scalars(sa.select(Interval.participant_id)).all()
        (dana_id,) = db.session.scalars(sa.select(Participant.id)).all()
    assert set(remaining) == {dana_id}


def test_purged_record_holders_still_verify(app, runner, client, facilitator):
    _, (record,) = signed_session(facilitator)
    page = page_of(app, record)
    end_sessions_days_ago(app, 40)
    runner.invoke(args=["purge"])
    assert client.get(f"/api/v1/verify/{record['code']}").get_json()["status"] == "valid"
    assert client.get(page).status_code == 200


def test_a_purge_keeping_less_than_a_day_is_refused(app, runner, facilitator):
    meeting = create_meeting(facilitator)
    unsigned = open_session(facilitator, meeting["id"])
    attend(facilitator, unsigned["id"], "Kim Ode", at("19:00"), at("19:50"))
    end_sessions_days_ago(app, 2)
    result = runner.invoke(args=["purge", "--days", "0"])
    assert result.exit_code == 2 and "--days" in result.stderr
    assert count(app, Participant) == 1


def test_a_page_linked_to_an_officers_case_is_kept(app, runner, facilitator):
    from compliance.models import Attendee, Case, CaseConsent
    from tests.app.cases import create_case
    from tests.conftest import make_api_user

    officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
    case = create_case(officer)
    with app.app_context():
        old = utcnow() - timedelta(days=40)
        linked = Attendee(name="Kim Ode", created_at=old)
        db.session.add_all([linked, Attendee(name="Lee Park", created_at=old)])
        db.session.flush()
        db.session.add(CaseConsent(case_id=case["id"], attendee_id=linked.id))
        db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "1 attendee pages without records" in result.output
    with app.app_context():
        assert [a.name for a in db.session.scalars(sa.select(Attendee))] == ["Kim Ode"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
