"""Officers' caseload: the dashboard of 1,000 cases whose clients have 200 records each, one
case's JSON, and the compliance report PDF of a case with 200 counted records.

Run: .venv/bin/python bench/bench_caseload.py [--cases 1000] [--records 200] [--rounds 5]

Seeds one SQLite file under /tmp: an officer with `cases` cases, each linked to its own
attendance page holding `records` signed records (real Ed25519 compact JWS of real slip claims,
signed here without PyJWT to keep seeding to seconds), a meeting about every 16 hours from the
case's start, every tenth record revoked. Then calls the whole app in this process through its
test client (routing, sign-in cookie or bearer token, services, database, template or JSON or
PDF): no HTTP server, so what is timed is the server's work.
Targets: dashboard ≤ 300 ms, case JSON ≤ 30 ms, report PDF with 200 records ≤ 100 ms (median).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import shutil
import time
from datetime import UTC, date, datetime, timedelta

from common import (
    BASE_URL,
    make_app,
    median,
    percentile,
    print_header,
    progress_on_stderr,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

PASSWORD = "bench password long enough"  # noqa: S105 (a throwaway account in /tmp)
STARTS_ON = date(2025, 1, 6)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def seed(app, cases: int, records: int) -> tuple[str, list[str]]:
    """Fill the database; return the officer's API token and the case ids."""
    import sqlalchemy as sa
    from common import facilitator_and_session

    from compliance.domain.codes import new_code
    from compliance.extensions import db
    from compliance.models import AttendanceRecord, Attendee, Case, CaseConsent, Participant
    from compliance.models.types import new_id, new_ids
    from compliance.services import accounts, keyring, passwords

    progress = progress_on_stderr()
    user_id, session_id = facilitator_and_session(app)
    with app.app_context():
        officer = accounts.create_user("olive@example.org", "Olive O.", "officer")
        passwords.set_password_for_email("olive@example.org", PASSWORD)
        token = accounts.create_api_token("olive@example.org")
        kid, private_key = keyring.current_signer(app.config["KEYS_DIR"])
        person = Participant(session_id=session_id, name="Bench Person", name_key="bench person")
        db.session.add(person)
        db.session.flush()
        header = b64(json.dumps({"alg": "EdDSA", "kid": kid, "typ": "attendance-slip+jwt"},
                                separators=(",", ":"), sort_keys=True).encode())  # fmt: skip
        case_ids, rows = [], []
        issued = datetime(2025, 6, 1, tzinfo=UTC)
        progress.begin(f"Seeding {cases:,} cases x {records} records: signing", cases)
        for n in range(cases):
            attendee = Attendee(id=new_id(), name=f"Client {n}")
            kind = ("meetings", 90, 90) if n % 2 else ("per_week", 3, 20)
            case = Case(
                id=new_id(), officer_id=officer.id, label=f"24-CR-{n:05d}",
                requirement_kind=kind[0], requirement_count=kind[1], requirement_span=kind[2],
                starts_on=STARTS_ON, min_minutes=45, programs="", enrolment_code=new_code(),
            )  # fmt: skip
            db.session.add_all([attendee, case])
            db.session.add(CaseConsent(case_id=case.id, attendee_id=attendee.id))
            case_ids.append(case.id)
            ids = new_ids(records)
            for i in range(records):
                starts = datetime(2025, 1, 6, 1, tzinfo=UTC) + timedelta(hours=16 * i)
                code = new_code()
                claims = {
                    "iss": BASE_URL, "jti": code, "iat": int(issued.timestamp()),
                    "name": f"Client {n}", "mtg": "Tuesday Evening Recovery Circle",
                    "prog": "SMART Recovery", "start": int(starts.timestamp()),
                    "end": int((starts + timedelta(hours=1)).timestamp()),
                    "tz": "America/Chicago", "min": 58, "fac": "Sam R.", "fid": "F-BENCH",
                    "lang": "en",
                }  # fmt: skip
                payload = b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
                signing_input = f"{header}.{payload}"
                signature = b64(private_key.sign(signing_input.encode("ascii")))
                revoked = i % 10 == 9
                rows.append(
                    {
                        "id": ids[i], "code": code, "session_id": session_id,
                        "participant_id": person.id, "attendee_id": attendee.id,
                        "name": f"Client {n}", "present_minutes": 58,
                        "token": f"{signing_input}.{signature}", "kid": kid,
                        "issued_at": issued, "created_at": issued,
                        "revoked_at": issued if revoked else None,
                        "revoked_reason": "bench" if revoked else None,
                    }
                )  # fmt: skip
            progress.advance()
        db.session.commit()
        progress.begin("Seeding: inserting records", len(rows))
        for start in range(0, len(rows), 20_000):
            chunk = rows[start : start + 20_000]
            db.session.execute(sa.insert(AttendanceRecord), chunk)
            progress.advance(len(chunk))
        db.session.commit()
        progress.finish()
    return token, case_ids


def timed(client, path: str, rounds: int, **kw) -> tuple[list[float], bytes]:
    times, body = [], b""
    for _ in range(rounds):
        began = time.perf_counter()
        answer = client.get(path, **kw)
        times.append(time.perf_counter() - began)
        if answer.status_code != 200:
            raise SystemExit(f"{path}: {answer.status_code} {answer.data[:300]!r}")
        body = answer.data
    return times, body


def figures(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {median(values) * 1000:.1f} ms, p90 {percentile(values, 90) * 1000:.1f}"
        f" ms over {len(values)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    print_header(f"caseload: {args.cases:,} cases x {args.records} records")
    work = tmp_workdir("bench-caseload-")
    try:
        app = make_app(sqlite_url(work / "caseload.sqlite3"), work / "keys")
        app.config.update(WTF_CSRF_ENABLED=False, CLOCK=lambda: datetime(2025, 4, 1, tzinfo=UTC))
        began = time.perf_counter()
        token, case_ids = seed(app, args.cases, args.records)
        print(f"seeded in {time.perf_counter() - began:.1f} s")
        rng = random.Random(5)
        api = app.test_client()
        bearer = {"headers": {"Authorization": f"Bearer {token}"}}
        web = app.test_client()
        signed_in = web.post("/sign-in", data={"email": "olive@example.org", "password": PASSWORD})
        assert signed_in.status_code == 302, signed_in.data[:300]

        results = []
        sample = rng.sample(case_ids, min(len(case_ids), 20))
        timed(api, f"/api/v1/cases/{sample[0]}", 2, **bearer)  # warm up
        case_times = []
        for case_id in sample:
            case_times += timed(api, f"/api/v1/cases/{case_id}", args.rounds, **bearer)[0]
        print(figures("case JSON", case_times))
        results.append(("one case's JSON", median(case_times), 0.030))

        first, repeat = [], []
        for case_id in sample[: min(10, len(sample))]:
            times, pdf = timed(api, f"/api/v1/cases/{case_id}/report.pdf", args.rounds, **bearer)
            first.append(times[0])
            repeat += times[1:]
        print(figures("report PDF, first (signs a new report)", first))
        print(figures("report PDF, again (re-rendered from the stored one)", repeat))
        print(f"report PDF of {pdf.count(b'/Type /Page')} page(s), {len(pdf):,} bytes")
        results.append(("report PDF (new, signed)", median(first), 0.100))

        first, html = timed(web, "/officer/", 1)
        updating = html.count(b"Updating\xe2\x80\xa6")
        print(figures("dashboard, first visit (5 s budget)", first) + f", {updating} updating")
        began = time.perf_counter()
        refreshed = app.test_cli_runner().invoke(args=["cases", "refresh"])
        assert refreshed.exit_code == 0, refreshed.output
        print(f"cases refresh (the cases the first visit left): "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip
        times, html = timed(web, "/officer/", args.rounds)
        print(figures("dashboard", times))
        print(f"dashboard page: {len(html):,} bytes, {html.count(b'<tr>') - 1:,} cases listed")
        results.append(("dashboard of all cases", median(times), 0.300))

        ok = True
        for target, measured, goal in results:
            passed = measured <= goal
            ok &= passed
            verdict_line(
                target, f"median {measured * 1000:.1f} ms", passed, f"<= {goal * 1000:.0f} ms"
            )
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
