"""Signing is all or nothing: a failure or a killed worker leaves no records, races give one."""

import subprocess
import sys
import textwrap
import threading

import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AttendanceRecord, AuditEntry, MeetingSession
from compliance.services import finalize
from tests.app.journey import at, attend, create_meeting, open_session


def session_with_people(user, people: int = 6) -> dict:
    meeting = create_meeting(user)
    session = open_session(user, meeting["id"])
    for n in range(people):
        attend(user, session["id"], f"Person {n}", at("19:00"), at("19:59"), f"p{n}@example.net")
    return session


def stored(app, session_id):
    with app.app_context():
        records = db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord))
        status = db.session.get(MeetingSession, session_id).status
        finalized_events = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.event == "session.finalized")
        )
    return records, status, finalized_events


def test_a_failure_half_way_leaves_no_records_and_an_open_session(app, facilitator, monkeypatch):
    session = session_with_people(facilitator)
    real_issue, calls = finalize._issue, []

    def failing_issue(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_issue(*args, **kwargs)

    monkeypatch.setattr(finalize, "_issue", failing_issue)
    response = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert response.status_code == 500
    assert "nothing was saved" in response.get_json()["error"]
    assert stored(app, session["id"]) == (0, "open", 0)

    monkeypatch.setattr(finalize, "_issue", real_issue)
    retry = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert retry.status_code == 200 and len(retry.get_json()["records"]) == 6


KILLER = textwrap.dedent(
    """
    import os, sys
    from compliance import create_app
    from compliance.extensions import db
    from compliance.models import User
    from compliance.services import finalize

    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "KEYS_DIR": sys.argv[2],
                      "BASE_URL": "https://verify.example.org"})
    real_issue, calls = finalize._issue, []

    def issue_then_die(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            db.session.flush()  # two records are in the database's open transaction
            os._exit(9)  # the worker is killed: no rollback, no commit
        return real_issue(*args, **kwargs)

    finalize._issue = issue_then_die
    with app.app_context():
        user = db.session.query(User).filter_by(email="sam@example.org").one()
        finalize.finalize_session(user, sys.argv[3])
    """
)


def test_a_worker_killed_mid_finalize_leaves_nothing(app, facilitator):
    session = session_with_people(facilitator)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            app.config["SQLALCHEMY_DATABASE_URI"],
            app.config["KEYS_DIR"],
            session["id"],
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == 9, killed.stderr
    assert stored(app, session["id"]) == (0, "open", 0)
    retry = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert retry.status_code == 200 and len(retry.get_json()["records"]) == 6


def test_racing_finalizes_give_one_set_of_records_and_one_409(app, facilitator):
    session = session_with_people(facilitator, people=20)
    barrier, answers = threading.Barrier(2), []

    def finalize_now():
        client = app.test_client()
        barrier.wait()
        answers.append(
            client.post(
                f"/api/v1/sessions/{session['id']}/finalize",
                headers={"Authorization": f"Bearer {facilitator.token}"},
            ).status_code
        )

    threads = [threading.Thread(target=finalize_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 409]
    assert stored(app, session["id"]) == (20, "finalized", 1)
