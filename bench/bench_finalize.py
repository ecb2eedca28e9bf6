"""Time finalizing (signing) a 500-person session through the service, SQLite and PostgreSQL.

Run: .venv/bin/python bench/bench_finalize.py [--people 500] [--runs 3] [--no-postgresql]

For each database (an SQLite file under /tmp; PostgreSQL's `compliance_bench` database on
127.0.0.1, made anew and dropped, skipped when PostgreSQL does not answer) it opens `--runs`
sessions of `--people` attendees, each with an email and one interval covering the meeting
(everyone qualifies, as after a real check-in), then times
`compliance.services.finalize.finalize_session` on each: roster, presence, one Ed25519-signed
token and QR fit check per person, attendees looked up or made, audit entries, one slip mail
queued in the outbox per person (mail on: every attendee has an email), one commit. The same
run also times signing with mail off, for the ratio the outbox costs. Seeding the rosters is
not timed. Bounded: about 30 s. Target: ≤ 1 s per session (median), with the outbox.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from common import (
    drop_postgresql,
    facilitator_and_session,
    fresh_postgresql_url,
    make_app,
    median,
    postgresql_available,
    print_header,
    progress_on_stderr,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

TARGET_SECONDS = 1.0


def seed_roster(app, session_id: str, people: int, starts_at: datetime) -> None:
    """Add `people` participants with one interval each over the whole meeting (bulk insert)."""
    from compliance.extensions import db
    from compliance.models import Interval, Participant
    from compliance.models.types import new_id, utcnow

    now = utcnow()
    participants, intervals = [], []
    for n in range(people):
        person_id = new_id()
        name = f"Attendee {session_id[:6]} {n:04d}"
        participants.append(
            {
                "id": person_id,
                "session_id": session_id,
                "name": name,
                "name_key": name.lower(),
                "email": f"a{n}.{session_id[:8].lower()}@example.org",
                "is_host": False,
                "created_at": now + timedelta(microseconds=n),
            }
        )
        intervals.append(
            {
                "id": new_id(),
                "participant_id": person_id,
                "joined_at": starts_at - timedelta(minutes=2),
                "left_at": starts_at + timedelta(hours=2, minutes=1),
                "source": "manual",
                "created_at": now,
            }
        )
    with app.app_context():
        db.session.execute(sa.insert(Participant), participants)
        db.session.execute(sa.insert(Interval), intervals)
        db.session.commit()


def time_finalize(
    database_url: str, keys_dir, people: int, runs: int, mail: bool = True
) -> list[float]:
    from compliance.extensions import db
    from compliance.models import OutboxMessage, User
    from compliance.services import meetings
    from compliance.services.finalize import finalize_session

    # Nothing is sent while signing: the outbox is only written, so no server is needed.
    app = make_app(database_url, keys_dir, "smtp://127.0.0.1:9" if mail else None)
    starts_at = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    user_id, first_session = facilitator_and_session(app, starts_at)
    sessions = [first_session]
    with app.app_context():
        user = db.session.get(User, user_id)
        meeting_id = db.session.get(meetings.MeetingSession, first_session).meeting_id
        for n in range(1, runs):
            start = starts_at + timedelta(days=7 * n)
            sessions.append(
                meetings.open_session(user, meeting_id, start, start + timedelta(hours=2)).id
            )
    for n, session_id in enumerate(sessions):
        seed_roster(app, session_id, people, starts_at + timedelta(days=7 * n))
    seconds = []
    progress = progress_on_stderr()
    progress.begin(f"Finalizing {runs} sessions of {people} people", runs)
    for session_id in sessions:
        with app.app_context():
            user = db.session.get(User, user_id)
            began = time.perf_counter()
            records = finalize_session(user, session_id)
            seconds.append(time.perf_counter() - began)
            if len(records) != people:
                raise SystemExit(f"expected {people} records, got {len(records)}")
            queued = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            expected = people * (sessions.index(session_id) + 1) if mail else 0
            if queued != expected:
                raise SystemExit(f"expected {expected} queued mails, found {queued}")
            db.session.remove()
        progress.advance()
    progress.finish()
    with app.app_context():
        db.engine.dispose()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()

    print_header(f"finalize a {args.people}-person session (signing included)")
    work = tmp_workdir("bench-finalize-")
    targets = [("SQLite", lambda: sqlite_url(work / "finalize.sqlite3"))]
    if not args.no_postgresql and postgresql_available():
        targets.append(("PostgreSQL", fresh_postgresql_url))
    else:
        print("PostgreSQL: not measured (not reachable on 127.0.0.1:5432 or --no-postgresql)")
    ok = True
    try:
        for name, make_url in targets:
            without = time_finalize(
                make_url(), work / f"keys-{name}-off", args.people, args.runs, mail=False
            )
            if name == "PostgreSQL":
                drop_postgresql()
            else:
                (work / "finalize.sqlite3").unlink()
            seconds = time_finalize(make_url(), work / f"keys-{name}", args.people, args.runs)
            shown = ", ".join(f"{s:.3f}" for s in seconds)
            print(f"{name}: finalize {args.people} people, mail off: "
                  + ", ".join(f"{s:.3f}" for s in without) + " s")  # fmt: skip
            print(f"{name}: finalize {args.people} people, {args.people} slip mails queued: "
                  f"{shown} s (x{median(seconds) / median(without):.2f} of mail off)")  # fmt: skip
            typical = median(seconds)
            ok &= typical <= TARGET_SECONDS
            verdict_line(
                f"finalize {args.people} people, {name}",
                f"median {typical:.3f} s, worst {max(seconds):.3f} s over {len(seconds)} sessions",
                typical <= TARGET_SECONDS,
                f"<= {TARGET_SECONDS:.0f} s",
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if len(targets) > 1:
            drop_postgresql()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
