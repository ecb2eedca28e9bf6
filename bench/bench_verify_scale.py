"""Verify by code with 1,000,000 records against the same with 10,000: does the lookup scale?

Run: .venv/bin/python bench/bench_verify_scale.py [--large 1000000] [--small 10000]

Seeds two SQLite files under /tmp (the large one takes ~30-60 s and ~0.8 GB; 1,000 records in
each really signed, the rest same-sized placeholders: see common.seed_verify_database), then
calls the whole app in this process — `app.wsgi_app` with a WSGI environ for
`GET /api/v1/verify/{code}`, so routing, the service, the database and JSON are all in — for a
random signed code each time. The two apps take turns in 10 rounds of 300 requests, so drift
of a shared machine weighs on both alike. No HTTP server: what is compared is the cost that
grows with the table (the index lookup), without the network noise around it.
Bounded: about 2 minutes in all. Target: median large / median small ≤ 1.3.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import time

from common import (
    BASE_URL,
    median,
    percentile,
    print_header,
    progress_on_stderr,
    seed_verify_database,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

TARGET_RATIO = 1.3
ROUNDS = 10
PER_ROUND = 300


def environ(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def call(app, path: str) -> bytes:
    statuses = []
    body = app.wsgi_app(
        environ(path), lambda status, headers, exc_info=None: statuses.append(status)
    )
    try:
        data = b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    if not statuses or not statuses[0].startswith("200") or b'"status":"valid"' not in data:
        raise SystemExit(f"{path}: {statuses} {data[:200]!r}")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    args = parser.parse_args()

    from compliance import create_app

    print_header(f"verify by code: {args.large:,} records vs {args.small:,}")
    work = tmp_workdir("bench-verify-scale-")
    try:
        apps, codes = {}, {}
        for label, count in (("small", args.small), ("large", args.large)):
            seeded = seed_verify_database(
                sqlite_url(work / f"{label}.sqlite3"), work / f"keys-{label}", count
            )
            size = (work / f"{label}.sqlite3").stat().st_size / 1e6
            print(f"seeded {count:,} records in {seeded.seconds:.1f} s ({size:,.0f} MB)")
            apps[label] = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": seeded.database_url,
                    "KEYS_DIR": str(seeded.keys_dir),
                    "BASE_URL": BASE_URL,
                    "RATELIMIT_ENABLED": False,
                }
            )
            codes[label] = seeded.codes
        rng = random.Random(11)
        for label, app in apps.items():  # warm up: imports, statement caches, the page cache
            for code in codes[label]:
                call(app, f"/api/v1/verify/{code}")
        times: dict[str, list[float]] = {label: [] for label in apps}
        progress = progress_on_stderr()
        progress.begin(f"Timing {ROUNDS} rounds of {PER_ROUND} verifies on each", ROUNDS)
        for _ in range(ROUNDS):
            for label, app in apps.items():
                for code in rng.choices(codes[label], k=PER_ROUND):
                    began = time.perf_counter()
                    call(app, f"/api/v1/verify/{code}")
                    times[label].append(time.perf_counter() - began)
            progress.advance()
        progress.finish()
        for label, count in (("small", args.small), ("large", args.large)):
            values = times[label]
            print(
                f"{count:>9,} records: median {median(values) * 1000:.3f} ms, "
                f"p90 {percentile(values, 90) * 1000:.3f} ms, "
                f"p99 {percentile(values, 99) * 1000:.3f} ms over {len(values)} requests"
            )
        ratio = median(times["large"]) / median(times["small"])
        verdict_line(
            f"verify by code, {args.large:,} vs {args.small:,} records",
            f"median {median(times['large']) * 1000:.3f} / {median(times['small']) * 1000:.3f}"
            f" ms = {ratio:.2f}x",
            ratio <= TARGET_RATIO,
            f"<= {TARGET_RATIO}x",
        )
        return 0 if ratio <= TARGET_RATIO else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
