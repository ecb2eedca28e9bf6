"""Requests/s and p99 of `GET /api/v1/verify/{token}` and `/{code}` against a one-line Flask app.

Run: .venv/bin/python bench/bench_verify_http.py [--records 100000] [--seconds 10]

Seeds an SQLite file under /tmp with `--records` attendance records (1,000 really signed and
queried, the rest same-sized placeholders: see common.seed_verify_database), then starts two
gunicorns side by side, each `-c python:compliance.gunicorn_config` with 2 sync workers and rate
limits off (COMPLIANCE_RATELIMIT_ENABLED=false):

- the baseline: bench/baseline_app.py, a one-line Flask app (`return "ok"`);
- the service (wsgi:app) on that database;

and loads them with wrk (`apt-get install wrk`): 16 connections, one wrk thread, rotating over
the 1,000 signed tokens (or their codes). The `--seconds` of each measurement are split in two
halves, run in the order baseline, token, code, code, token, baseline, so a machine that gets
busier or quieter during the run (a shared 2-core VM does) weighs on all three alike:
requests/s is all requests over all the time, p99 the mean of the two halves' p99. wrk shares
the 2 cores with the server in every run alike. The server's CPU time per request (master and
workers, from /proc) is printed too: other load on the machine disturbs it much less than
requests/s. Bounded: about 45 s plus seeding (~3 s).
Targets: ≥ 0.50 of the baseline's requests/s, p99 ≤ 25 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil

from common import (
    Load,
    gunicorn,
    http_get,
    print_header,
    progress_on_stderr,
    run_wrk,
    seed_verify_database,
    service_environment,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

RATIO_TARGET = 0.50
P99_TARGET_MS = 25.0
WARM_UP_SECONDS = 2
ORDER = ("baseline", "token", "code", "code", "token", "baseline")


def check_answers(origin: str, token: str, code: str) -> None:
    """Refuse to time anything but real `valid` verdicts (a typed code: any case, hyphens)."""
    for what in (token, code.lower()[:4] + "-" + code.lower()[4:]):
        status, body = http_get(f"{origin}/api/v1/verify/{what}")
        verdict = json.loads(body)
        if status != 200 or verdict["status"] != "valid":
            raise SystemExit(f"verify did not answer valid: {status} {body[:300]!r}")


def merge(runs: list[Load]) -> Load:
    """Return one figure for the halves of a measurement (percentiles: mean of the halves)."""
    errors: dict[str, int] = {}
    for run in runs:
        for kind, count in run.errors.items():
            errors[kind] = errors.get(kind, 0) + count
    requests = sum(r.requests for r in runs)
    seconds = sum(r.seconds for r in runs)
    return Load(
        requests=requests,
        seconds=seconds,
        rps=requests / seconds,
        p50_ms=sum(r.p50_ms for r in runs) / len(runs),
        p90_ms=sum(r.p90_ms for r in runs) / len(runs),
        p99_ms=sum(r.p99_ms for r in runs) / len(runs),
        max_ms=max(r.max_ms for r in runs),
        errors=errors,
        tool=runs[0].tool,
        server_cpu_us=sum(r.server_cpu_us * r.requests for r in runs) / requests,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    print_header("verify over HTTP: gunicorn + wrk, SQLite")
    work = tmp_workdir("bench-verify-http-")
    try:
        seeded = seed_verify_database(
            sqlite_url(work / "verify.sqlite3"), work / "keys", args.records
        )
        print(
            f"seeded {seeded.records:,} records ({len(seeded.codes)} signed) "
            f"in {seeded.seconds:.1f} s"
        )
        env = service_environment(seeded.database_url, seeded.keys_dir, args.workers)
        half = max(1, args.seconds // 2)
        with (
            gunicorn("baseline_app:app", env, workers=args.workers) as base_server,
            gunicorn("wsgi:app", env, workers=args.workers) as app_server,
        ):
            check_answers(app_server.origin, seeded.tokens[0], seeded.codes[0])
            plan = {
                "baseline": (base_server, ["/healthz"]),
                "token": (app_server, [f"/api/v1/verify/{t}" for t in seeded.tokens]),
                "code": (app_server, [f"/api/v1/verify/{c}" for c in seeded.codes]),
            }
            progress = progress_on_stderr()
            progress.begin(f"Warming up, {WARM_UP_SECONDS} s a path", len(plan))
            for server, paths in plan.values():
                run_wrk(server.origin, paths, args.connections, WARM_UP_SECONDS)
                progress.advance()
            halves: dict[str, list[Load]] = {name: [] for name in plan}
            progress.begin(f"Timing {len(ORDER)} wrk runs of {half} s", len(ORDER))
            for name in ORDER:
                server, paths = plan[name]
                cpu_before = server.cpu_seconds()
                run = run_wrk(server.origin, paths, args.connections, half)
                run.server_cpu_us = (server.cpu_seconds() - cpu_before) / run.requests * 1e6
                halves[name].append(run)
                progress.advance()
            progress.finish()
        baseline, by_token, by_code = (merge(halves[n]) for n in ("baseline", "token", "code"))
        print(
            f"load: wrk, 1 thread, {args.connections} connections, {half} s x 2 per measurement; "
            f"gunicorn {args.workers} sync workers; {args.records:,} records"
        )
        for name, runs in halves.items():
            shown = "; ".join(f"{r.rps:.0f} req/s, p99 {r.p99_ms:.1f} ms" for r in runs)
            print(f"  halves {name:9s} {shown}")
        print(f"baseline one-line Flask app   {baseline.line()}")
        print(f"verify by token               {by_token.line()}")
        print(f"verify by code                {by_code.line()}")
        print(
            "server CPU per request (less disturbed by other load than req/s): "
            f"baseline {baseline.server_cpu_us:.0f} us, token {by_token.server_cpu_us:.0f} us "
            f"({baseline.server_cpu_us / by_token.server_cpu_us:.2f}), "
            f"code {by_code.server_cpu_us:.0f} us "
            f"({baseline.server_cpu_us / by_code.server_cpu_us:.2f})"
        )
        ok = True
        for name, run in (("token", by_token), ("code", by_code)):
            ratio = run.rps / baseline.rps
            errors = sum(run.errors.values())
            ok &= ratio >= RATIO_TARGET and run.p99_ms <= P99_TARGET_MS and not errors
            verdict_line(
                f"verify by {name} req/s vs baseline",
                f"{run.rps:.0f} / {baseline.rps:.0f} = {ratio:.2f}"
                + (f", {errors} errors" if errors else ""),
                ratio >= RATIO_TARGET and not errors,
                f">= {RATIO_TARGET:.2f}",
            )
            verdict_line(
                f"verify by {name} p99",
                f"{run.p99_ms:.1f} ms",
                run.p99_ms <= P99_TARGET_MS,
                f"<= {P99_TARGET_MS:.0f} ms",
            )
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
