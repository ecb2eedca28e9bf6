"""Time importing a 50,000-row report of each family through the service, database included.

Run: .venv/bin/python bench/bench_import_service.py [--rows 50000] [--runs 3] [--no-postgresql]
     [--family zoom|zoom-unique|teams|teams-list|meet ...]

Builds the reports of bench_report_import.py (e.g. 50,000 joins of 5,000 people over a
two-hour meeting) and times `compliance.services.imports.import_participant_report` into
a fresh open session, `--runs` times, on an SQLite file under /tmp and on PostgreSQL's
`compliance_bench` database on 127.0.0.1 (made anew and dropped; skipped when PostgreSQL does
not answer). That is: parse, match people, 5,000 participants and 50,000 intervals inserted, one
commit; each family's median split into parsing, matching and writing (insert and commit) is
printed too. The parser alone is bench_report_import.py. Bounded: about 40 s.
Target: ≤ 2 s per import (median).
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, timedelta

import sqlalchemy as sa
from bench_report_import import END, FAMILIES, START
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

TARGET_SECONDS = 2.0


# Intervals a family's 50,000 rows store: one per join, one per join/leave pair, none for totals.
STORED_PER_ROW = {"zoom": 1, "zoom-unique": 0, "teams": 1, "teams-list": 0.5, "meet": 1}


@contextmanager
def phases_timed(seconds: dict[str, float]):
    """Add the seconds spent reading the report and writing it (insert and commit) to
    `seconds`; matching is what is left of an import."""
    from compliance.services import imports

    def timed(phase: str, function: Callable) -> Callable:
        def run(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[phase] = seconds.get(phase, 0.0) + time.perf_counter() - began

        return run

    parse, save = imports._parse, imports._save
    imports._parse, imports._save = timed("parse", parse), timed("write", save)
    try:
        yield
    finally:
        imports._parse, imports._save = parse, save


def time_imports(
    database_url: str, keys_dir, data: bytes, runs: int, family: str = "zoom"
) -> list[tuple[float, int]]:
    """Return (seconds, intervals stored) of each import, every one into a new session."""
    from compliance.extensions import db
    from compliance.models import Interval, MeetingSession, Participant, User
    from compliance.services import meetings
    from compliance.services.imports import import_participant_report

    app = make_app(database_url, keys_dir)
    start, end = START.astimezone(UTC), END.astimezone(UTC)
    user_id, first = facilitator_and_session(app, start)
    results = []
    cpu_seconds: list[float] = []  # this process alone: steadier than wall time on a busy host
    phases: list[dict[str, float]] = []
    progress = progress_on_stderr()
    progress.begin(f"Importing the report {runs} times", runs)
    for run in range(runs):
        with app.app_context():
            user = db.session.get(User, user_id)
            if run == 0:
                session_id = first
            else:
                meeting_id = db.session.get(MeetingSession, first).meeting_id
                shift = timedelta(days=7 * run)
                session_id = meetings.open_session(user, meeting_id, start + shift, end + shift).id
                # The report's times are for the first week: move this session onto them.
                db.session.execute(
                    sa.update(MeetingSession)
                    .where(MeetingSession.id == session_id)
                    .values(starts_at=start, ends_at=end)
                )
                db.session.commit()
            split: dict[str, float] = {}
            began, began_cpu = time.perf_counter(), time.process_time()
            with phases_timed(split):
                summary = import_participant_report(user, session_id, data, "America/Chicago")
            seconds = time.perf_counter() - began
            split["match"] = seconds - split.get("parse", 0.0) - split.get("write", 0.0)
            phases.append(split)
            cpu_seconds.append(time.process_time() - began_cpu)
            stored = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Interval)
                .join(Participant)
                .where(Participant.session_id == session_id)
            )
            if int(summary.rows * STORED_PER_ROW[family]) != stored:
                raise SystemExit(f"{summary.rows} rows read but {stored} intervals stored")
            results.append((seconds, stored))
            db.session.remove()
        progress.advance()
    progress.finish()
    with app.app_context():
        db.engine.dispose()
    print(f"  CPU of this process: {', '.join(f'{s:.2f}' for s in cpu_seconds)} s")
    print(
        "  phases (median): "
        + ", ".join(
            f"{phase} {median([split.get(phase, 0.0) for split in phases]):.2f} s"
            for phase in ("parse", "match", "write")
        )
        + " (write: participants and intervals inserted, and the commit)"
    )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append")
    args = parser.parse_args()

    work = tmp_workdir("bench-import-")
    targets = [("SQLite", lambda family: sqlite_url(work / f"import-{family}.sqlite3"))]
    if not args.no_postgresql and postgresql_available():
        targets.append(("PostgreSQL", lambda family: fresh_postgresql_url()))
    else:
        print("PostgreSQL: not measured (not reachable on 127.0.0.1:5432 or --no-postgresql)")
    ok = True
    try:
        for family in args.family or FAMILIES:
            print_header(f"import a {args.rows:,}-row {family} report through the service")
            data = FAMILIES[family](args.rows)
            print(f"report: {len(data) / 1e6:.1f} MB, {args.rows:,} rows")
            for name, make_url in targets:
                keys = work / f"keys-{name}-{family}"
                results = time_imports(make_url(family), keys, data, args.runs, family)
                ok &= _verdict(f"{family}, {name}", args.rows, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if len(targets) > 1:
            drop_postgresql()
    return 0 if ok else 1


def _verdict(label: str, rows: int, results: list[tuple[float, int]]) -> bool:
    """Print one family's figures on one database; return whether the target was met."""
    seconds = [s for s, _ in results]
    print(f"{label}: {', '.join(f'{s:.2f}' for s in seconds)} s ({results[0][1]:,} intervals each)")
    typical = median(seconds)
    verdict_line(
        f"import {rows:,} rows, {label}",
        f"median {typical:.2f} s, worst {max(seconds):.2f} s over {len(seconds)} imports",
        typical <= TARGET_SECONDS,
        f"<= {TARGET_SECONDS:.0f} s",
    )
    return typical <= TARGET_SECONDS


if __name__ == "__main__":
    raise SystemExit(main())
