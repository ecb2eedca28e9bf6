"""Run every benchmark, each under its own time limit and all within 10 minutes; print a summary.

Run: .venv/bin/python bench/run_all.py [--log /tmp/bench.log] [--only verify_http finalize ...]

Needs wrk (`apt-get install -y wrk`) for bench_verify_http.py, and PostgreSQL on 127.0.0.1:5432
(user postgres, trust) for the PostgreSQL halves of bench_finalize.py and
bench_import_service.py, which are skipped without it. Each script prints the machine and its
own figures; this runner collects their closing `PASS`/`MISS` lines (and judges the output of
bench_slip_render.py, which prints figures only) and exits 1 if any target was missed or a
script failed. Typically about 4 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import BENCH, ROOT, machine_description

TOTAL_SECONDS = 600
# Printed once above, or the migrations' chatter: kept in --log, not repeated on screen.
QUIET_LINES = ("machine:", "python:", "== ", "INFO  [alembic.")
SLIP_MEDIAN_TARGET_MS = 6.0
# (name, script, time limit in seconds)
BENCHMARKS = [
    ("verify_http", "bench_verify_http.py", 150),
    ("slip_render", "bench_slip_render.py", 90),
    ("finalize", "bench_finalize.py", 90),
    ("mail_send", "bench_mail_send.py", 60),
    ("import_service", "bench_import_service.py", 600),
    ("report_parse", "bench_report_import.py", 60),
    ("verify_scale", "bench_verify_scale.py", 180),
    ("verify_pdf_upload", "bench_verify_pdf_upload.py", 90),
    ("worker_memory", "bench_worker_memory.py", 120),
    ("caseload", "bench_caseload.py", 150),
]


def judge_slip_render(output: str) -> list[str]:
    """bench_slip_render.py prints figures only: turn its Latin-names median into a verdict."""
    found = re.search(r"render_slip, Latin-script names:\s+([\d.]+) ms median", output)
    baseline = re.search(r"one-line page \(baseline\):\s+([\d.]+) ms median", output)
    if not found:
        return ["MISS  slip render: no median found in the output"]
    median_ms = float(found.group(1))
    ratio = f", {median_ms / float(baseline.group(1)):.1f}x the one-line page" if baseline else ""
    verdict = "PASS" if median_ms <= SLIP_MEDIAN_TARGET_MS else "MISS"
    return [
        f"{verdict}  render one slip PDF: median {median_ms:.2f} ms{ratio} "
        f"(target <= {SLIP_MEDIAN_TARGET_MS:.0f} ms)"
    ]


def run_streaming(script: str, limit: float) -> tuple[str, int]:
    """Run a benchmark, showing its output (figures and progress) as it comes; return all of
    it and the exit code (-1 when it ran past `limit` seconds and was stopped)."""
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, str(BENCH / script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []

    def relay() -> None:
        for line in child.stdout:
            lines.append(line)
            if not line.startswith(QUIET_LINES):
                print(f"   {line}", end="", flush=True)

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    try:
        code = child.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        lines.append(f"timed out after {limit:.0f} s\n")
        code = -1
    reader.join(timeout=5)
    return "".join(lines), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, help="also write every script's full output here")
    parser.add_argument("--only", nargs="*", help="names to run, e.g. verify_http finalize")
    args = parser.parse_args()

    print(machine_description(), flush=True)
    deadline = time.monotonic() + TOTAL_SECONDS
    summary: list[str] = []
    failed = False
    log = args.log.open("w") if args.log else None
    try:
        for name, script, limit in BENCHMARKS:
            if args.only and name not in args.only:
                continue
            left = deadline - time.monotonic()
            if left < 30:
                summary.append(f"SKIP  {name}: the {TOTAL_SECONDS} s budget is spent")
                failed = True
                continue
            began = time.monotonic()
            print(f"-- {name} ({script}, limit {min(limit, left):.0f} s)", flush=True)
            output, code = run_streaming(script, min(limit, left))
            if log:
                log.write(f"== {script}\n{output}\n")
            lines = [line for line in output.splitlines() if line[:4] in {"PASS", "MISS"}]
            if name == "slip_render" and code == 0:
                lines = judge_slip_render(output)
            if code not in (0, 1) or (code == 1 and not lines):
                lines.append(f"FAIL  {name}: exit {code}: {output.strip().splitlines()[-1:]}")
            failed |= any(not line.startswith("PASS") for line in lines)
            summary += lines
            print(f"   ({time.monotonic() - began:.0f} s)", flush=True)
    finally:
        if log:
            log.close()
    print("\nSummary")
    for line in summary:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
