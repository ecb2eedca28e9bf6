"""Resident memory of one gunicorn worker after 10,000 mixed requests, against after the first.

Run: .venv/bin/python bench/bench_worker_memory.py [--requests 10000] [--records 100000]

Seeds an SQLite file under /tmp (see common.seed_verify_database), starts the service under
`gunicorn -c python:compliance.gunicorn_config` with ONE sync worker (rate limits off), sends
one verify request and reads the worker's VmRSS, then sends `--requests` more (exactly that
many, which wrk cannot do: Python http.client, 2 threads, a new connection each) rotating over a
mix of what the public sees: verify by token and by code (valid, not found, malformed), the
verdict pages /v/{token} and /verify?code=, slip PDF downloads, the JWKS, /healthz and the
OpenAPI document. RSS is read again half-way and at the end. Bounded: about 1 minute.
Target: growth ≤ 20 MB.
"""

from __future__ import annotations

import argparse
import random
import shutil

from common import (
    BASE_URL,
    gunicorn,
    http_get,
    print_header,
    rss_mib,
    run_requests,
    seed_verify_database,
    service_environment,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

TARGET_MIB = 20.0


def slip_paths(database_url: str, keys_dir, record_ids: list[str]) -> list[str]:
    """Return signed slip download paths, made with the same app secret the server reads."""
    from compliance import create_app
    from compliance.services import links

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "KEYS_DIR": str(keys_dir), "BASE_URL": BASE_URL}
    )
    with app.app_context():
        return [links.slip_url(rid).removeprefix(BASE_URL) for rid in record_ids]


def mixed_paths(seeded, rng: random.Random) -> list[str]:
    slips = slip_paths(seeded.database_url, seeded.keys_dir, seeded.record_ids[:50])
    unknown = ["".join(rng.choices("23456789ABCDEFGHJKMNPQRSTWXYZ", k=16)) for _ in range(50)]
    paths = []
    for n, (token, code) in enumerate(zip(seeded.tokens, seeded.codes, strict=True)):
        paths += [f"/api/v1/verify/{token}", f"/api/v1/verify/{code}"]
        if n % 4 == 0:
            paths += [f"/v/{token}", f"/verify?code={code.lower()}"]
        if n % 10 == 0:
            paths += [
                f"/api/v1/verify/{unknown[n % len(unknown)]}",
                f"/api/v1/verify/{token[:-7]}AAAAAAA",
                slips[n % len(slips)],
                "/.well-known/jwks.json",
                "/healthz",
            ]
        if n % 50 == 0:
            paths.append("/api/v1/openapi.json")
    rng.shuffle(paths)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()

    print_header("memory of one worker: RSS after 1 request and after many")
    work = tmp_workdir("bench-memory-")
    try:
        seeded = seed_verify_database(
            sqlite_url(work / "memory.sqlite3"), work / "keys", args.records
        )
        paths = mixed_paths(seeded, random.Random(5))
        env = service_environment(seeded.database_url, seeded.keys_dir, 1)
        with gunicorn("wsgi:app", env, workers=1) as server:
            (worker,) = server.workers()
            http_get(f"{server.origin}/api/v1/verify/{seeded.codes[0]}")
            first = rss_mib(worker)
            done = 0
            for path in paths[:60]:  # the mix answers as expected before wrk sends the rest
                status, _ = http_get(server.origin + path)
                done += 1
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
            readings = []
            for share in (args.requests // 2 - done, args.requests // 2):
                statuses = run_requests(server.origin, paths[done:] + paths[:done], share)
                done += sum(statuses.values())
                if set(statuses) != {200}:
                    raise SystemExit(f"unexpected answers: {statuses}")
                readings.append((done, rss_mib(worker)))
        print(f"RSS after the first request: {first:.1f} MiB")
        for count, rss in readings:
            print(f"RSS after {count:,} more requests: {rss:.1f} MiB (+{rss - first:.1f})")
        growth = readings[-1][1] - first
        verdict_line(
            f"worker RSS growth over {readings[-1][0]:,} mixed requests",
            f"{first:.1f} -> {readings[-1][1]:.1f} MiB = +{growth:.1f} MiB "
            f"(half-way +{readings[0][1] - first:.1f})",
            growth <= TARGET_MIB,
            f"<= {TARGET_MIB:.0f} MB",
        )
        return 0 if growth <= TARGET_MIB else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
