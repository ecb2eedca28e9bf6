"""Shared helpers for the benchmarks: machine description, seeding, gunicorn, wrk, RSS.

Not a benchmark itself. Every helper is bounded in time; servers only ever listen on 127.0.0.1
and every load generated here targets them alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
BASE_URL = "https://verify.example.org"
LOOPBACK = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DATABASE = os.environ.get("BENCH_PG_DATABASE", "compliance_bench")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ---------------------------------------------------------------------------------------------
# Reporting


def progress_on_stderr():
    """Return the CLI's progress display on stderr: figures stay alone on stdout."""
    from compliance.cli_progress import StderrProgress

    return StderrProgress(sys.stderr)


def machine_description() -> str:
    """Return cores, CPU model, memory, Python and SQLite versions, as one block of text."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return (
        f"machine: {cores} cores, {model}{memory}; {platform.system()} {platform.release()}\n"
        f"python: {platform.python_version()} ({platform.python_implementation()}); "
        f"SQLite {sqlite3.sqlite_version}; {time.strftime('%Y-%m-%d %H:%M %Z')}"
    )


def print_header(title: str) -> None:
    print(f"== {title}")
    print(machine_description())
    sys.stdout.flush()


def verdict_line(target: str, measured: str, ok: bool, goal: str) -> str:
    """Return the closing line of a target: `PASS|MISS  target: measured (goal)`."""
    line = f"{'PASS' if ok else 'MISS'}  {target}: {measured} (target {goal})"
    print(line, flush=True)
    return line


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# ---------------------------------------------------------------------------------------------
# Databases


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def postgresql_available() -> bool:
    """Return whether the local PostgreSQL answers (bench databases are made next to `test`)."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_postgresql_url(name: str = PG_BENCH_DATABASE) -> str:
    """Return the URL of an empty database `name`, dropped and made anew (never `test`)."""
    import psycopg
    from psycopg import sql

    if name in {"test", "postgres"}:
        raise ValueError("the benchmarks never touch the test suite's database")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin = PG_ADMIN_URL.rsplit("/", 1)[0]
    return admin.replace("postgresql://", "postgresql+psycopg://", 1) + "/" + name


def drop_postgresql(name: str = PG_BENCH_DATABASE) -> None:
    import psycopg
    from psycopg import sql

    with (
        contextlib.suppress(Exception),
        psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn,
    ):
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def make_app(database_url: str, keys_dir: Path, smtp_url: str | None = None):
    """Return the real app on this database, migrated, with a signing key; with `smtp_url`,
    mail is on (signing then queues a slip mail per person with an email)."""
    from flask_migrate import upgrade

    from compliance import create_app
    from compliance.extensions import db
    from compliance.services import key_rotation

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "KEYS_DIR": str(keys_dir),
            "BASE_URL": BASE_URL,
            "RATELIMIT_ENABLED": False,
            "SMTP_URL": smtp_url,
        }
    )
    with app.app_context():
        upgrade()
        key_rotation.ensure_signing_key(str(keys_dir))
        db.session.commit()
    return app


def facilitator_and_session(app, starts_at: datetime | None = None, email: str | None = None):
    """Create a facilitator, a meeting and one open session; return (user_id, session_id)."""
    from compliance.services import accounts, meetings

    starts_at = starts_at or datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    with app.app_context():
        user = accounts.create_user(email or "bench@example.org", "Sam R.", "facilitator")
        meeting = meetings.create_meeting(
            user, "Tuesday Evening Recovery Circle", "SMART Recovery", "America/Chicago"
        )
        session = meetings.open_session(user, meeting.id, starts_at, starts_at + timedelta(hours=2))
        return user.id, session.id


@dataclass
class Seeded:
    """What a seeded verify database holds that a benchmark can query."""

    database_url: str
    keys_dir: Path
    records: int
    codes: list[str] = field(default_factory=list)  # codes whose tokens are really signed
    tokens: list[str] = field(default_factory=list)  # those signed tokens
    record_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0


_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def _cheap_codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choices(_CODE_ALPHABET, k=16))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def seed_verify_database(
    database_url: str, keys_dir: Path, records: int, signed: int = 1000, seed: int = 7
) -> Seeded:
    """Fill a migrated database with `records` attendance records, `signed` of them real.

    The `signed` sample goes through the same signing code as finalize (real Ed25519 tokens of
    real slip claims, the current key); the bulk gets placeholder tokens of the same length and
    random codes, so the table and its indexes have the full size. Benchmarks query only the
    signed sample, so what they time is the real verify path on a table of that size. Rows go in
    with plain executemany in chunks, the signed ones scattered among the placeholders. On SQLite
    the journal is WAL with synchronous OFF while seeding, then back to the default (DELETE) so
    the service runs as it would in production.
    """
    import sqlalchemy as sa

    from compliance.domain.slips import token as slip_token
    from compliance.domain.slips.slip import Slip
    from compliance.extensions import db
    from compliance.models import AttendanceRecord, Attendee, Participant, User
    from compliance.models.types import new_id
    from compliance.services import keyring

    began = time.perf_counter()
    progress = progress_on_stderr()
    progress.begin(f"Seeding {records:,} records: migrating the database")
    app = make_app(database_url, keys_dir)
    user_id, session_id = facilitator_and_session(app)
    rng = random.Random(seed)
    result = Seeded(database_url, keys_dir, records)
    with app.app_context():
        user = db.session.get(User, user_id)
        kid, private_key = keyring.current_signer(str(keys_dir))
        person = Participant(session_id=session_id, name="Bench Person", name_key="bench person")
        attendee = Attendee(name="Bench Person")
        db.session.add_all([person, attendee])
        db.session.commit()
        issued = datetime(2025, 3, 5, 3, 5, tzinfo=UTC)
        taken: set[str] = set()
        signed_codes = _cheap_codes(rng, signed, taken)
        sample_rows = []
        progress.begin(f"Seeding {records:,} records: signing the sample", len(signed_codes))
        for i, code in enumerate(signed_codes):
            slip = Slip(
                code=code,
                name=f"Attendee Number {i}",
                meeting="Tuesday Evening Recovery Circle",
                program="SMART Recovery",
                starts_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC),
                ends_at=datetime(2025, 3, 5, 3, 0, tzinfo=UTC),
                timezone="America/Chicago",
                present_minutes=115,
                facilitator=user.display_name,
                facilitator_id=user.public_id,
                issued_at=issued,
                language="en",
            )
            token = slip_token.sign(
                slip_token.slip_claims(slip, BASE_URL), private_key, kid, slip_token.SLIP_TYP
            )
            sample_rows.append((code, slip.name, token))
            progress.advance()
        filler = "x" * max(0, len(sample_rows[0][2]) - 24) if sample_rows else "x" * 600
        naive_issued = issued.replace(tzinfo=None)
        columns = (
            "id, code, session_id, participant_id, attendee_id, name, present_minutes, token,"
            " kid, issued_at, created_at"
        )
        table = AttendanceRecord.__table__.name
        insert_sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 11)})"
        person_id, attendee_id = person.id, attendee.id
        db.session.close()  # the switch back from WAL needs the only connection to the file
        positions = set(rng.sample(range(records), min(signed, records)))
        sample_iter = iter(sample_rows)
        is_sqlite = database_url.startswith("sqlite")
        if is_sqlite:
            insert_sql = insert_sql.replace("%s", "?")
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if is_sqlite:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=OFF")
            chunk: list[tuple] = []
            bulk = _cheap_codes(rng, records - len(positions), taken)
            bulk_iter = iter(bulk)
            progress.begin(f"Seeding {records:,} records: inserting", records)
            for n in range(records):
                if n in positions:
                    code, name, token = next(sample_iter)
                    record_id = new_id()
                    result.codes.append(code)
                    result.tokens.append(token)
                    result.record_ids.append(record_id)
                else:
                    code, name = next(bulk_iter), "Bulk Placeholder"
                    token = f"bench.{code}.{filler}"
                    record_id = f"b{n:031d}"
                chunk.append(
                    (
                        record_id,
                        code,
                        session_id,
                        person_id,
                        attendee_id,
                        name,
                        115,
                        token,
                        kid,
                        naive_issued,
                        naive_issued,
                    )
                )
                if len(chunk) >= 20_000:
                    cursor.executemany(insert_sql, chunk)
                    progress.advance(len(chunk))
                    chunk.clear()
            if chunk:
                cursor.executemany(insert_sql, chunk)
                progress.advance(len(chunk))
            progress.begin(f"Seeding {records:,} records: committing and analysing")
            raw.commit()
            if is_sqlite:
                cursor.execute("PRAGMA journal_mode=DELETE")
                cursor.execute("ANALYZE")
            else:
                cursor.execute("ANALYZE")
                raw.commit()
            cursor.close()
        finally:
            raw.close()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord))
        assert count == records, (count, records)
        db.engine.dispose()
    progress.finish()
    result.seconds = time.perf_counter() - began
    return result


# ---------------------------------------------------------------------------------------------
# Servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(p) for p in (task / "children").read_text().split()]
    return kids


def rss_mib(pid: int) -> float:
    """Return a process's resident set size in MiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def http_get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """Return (status, body) of a GET; only loopback URLs are accepted."""
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("benchmarks only talk to servers on 127.0.0.1")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Server:
    """A gunicorn master on 127.0.0.1 and where its log goes."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def origin(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def workers(self) -> list[int]:
        return children_of(self.process.pid)

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) the master and its workers have used so far."""
        total = 0.0
        for pid in [self.process.pid, *self.workers()]:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total


def service_environment(database_url: str, keys_dir: Path, workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        COMPLIANCE_DATABASE_URL=database_url,
        COMPLIANCE_KEYS_DIR=str(keys_dir),
        COMPLIANCE_BASE_URL=BASE_URL,
        COMPLIANCE_RATELIMIT_ENABLED="false",
        COMPLIANCE_WORKERS=str(workers),
    )
    return env


@contextlib.contextmanager
def gunicorn(
    app_spec: str,
    env: dict[str, str],
    workers: int = 2,
    ready_path: str = "/healthz",
    extra_args: tuple[str, ...] = (),
    startup_seconds: float = 60.0,
) -> Iterator[Server]:
    """Run `gunicorn -c python:compliance.gunicorn_config APP_SPEC` on a free loopback port.

    Waits until `ready_path` answers 200 from every worker's point of view (a few requests),
    and stops the master with SIGTERM (then SIGKILL after 20 s) on the way out. Its log is
    removed after a clean run and kept, its path on stderr, when something failed.
    """
    port = free_port()
    env = dict(env)
    env["COMPLIANCE_BIND"] = f"{LOOPBACK}:{port}"
    env["COMPLIANCE_WORKERS"] = str(workers)
    env.setdefault("COMPLIANCE_RATELIMIT_ENABLED", "false")
    log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "-c",
        "python:compliance.gunicorn_config",
        "--pythonpath",
        f"{ROOT},{BENCH}",
        *extra_args,
        app_spec,
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                if http_get(server.origin + ready_path, timeout=5)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn not ready in {startup_seconds}s: {log.read_text()}")
            time.sleep(0.2)
        while len(server.workers()) < workers and time.monotonic() < deadline:
            time.sleep(0.2)
        yield server
    except BaseException:
        print(f"gunicorn's log is kept: {log}", file=sys.stderr)
        raise
    else:
        log.unlink(missing_ok=True)  # an access line per request: megabytes a run
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# Load

_WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
local threads = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[((offset or 0) + counter) % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d,'
    .. ' "p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect": %d, "read": %d, "write": %d,'
    .. ' "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Load:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    tool: str
    server_cpu_us: float = 0.0  # CPU time the server spent per request, when measured

    def line(self) -> str:
        bad = sum(self.errors.values())
        return (
            f"{self.rps:8.0f} req/s  p50 {self.p50_ms:6.2f} ms  p90 {self.p90_ms:6.2f} ms  "
            f"p99 {self.p99_ms:6.2f} ms  max {self.max_ms:7.2f} ms  "
            f"({self.requests} requests in {self.seconds:.1f} s, {bad} errors)"
        )


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    origin: str,
    paths: list[str],
    connections: int = 16,
    seconds: int = 10,
    threads: int = 1,
) -> Load:
    """Load `origin` with wrk, rotating over `paths`; bounded by `seconds` (+ 30 s grace)."""
    if not origin.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("load is only ever sent to 127.0.0.1")
    if not wrk_available():
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "rotate.lua"
        script.write_text(_WRK_SCRIPT)
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        env = dict(os.environ, BENCH_PATHS=str(path_file))
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            origin + paths[0],
        ]
        out = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, timeout=seconds + 30, check=False
        )
    found = re.search(r"^BENCH_JSON (.*)$", out.stdout, re.MULTILINE)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout}\n{out.stderr}")
    data = json.loads(found.group(1))
    duration = data["duration_us"] / 1e6
    return Load(
        requests=data["requests"],
        seconds=duration,
        rps=data["requests"] / duration,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        errors={k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]},
        tool=f"wrk -t{threads} -c{connections} -d{seconds}s",
    )


def run_requests(
    origin: str, paths: list[str], count: int, clients: int = 2, seconds: float = 120.0
) -> dict[int, int]:
    """Send exactly `count` GETs (fewer if `seconds` run out) from `clients` threads, each on a
    new connection as a sync worker wants; return how many got each status."""
    progress = progress_on_stderr()
    progress.begin(f"Sending {count:,} requests", count)
    import http.client
    import threading

    if not origin.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("load is only ever sent to 127.0.0.1")
    port = int(origin.rsplit(":", 1)[1])
    deadline = time.monotonic() + seconds
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    taken = iter(range(count))

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(taken, None)
            if n is None:
                return
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
            try:
                conn.request("GET", paths[n % len(paths)])
                answer = conn.getresponse()
                answer.read()
                status = answer.status
            except OSError:
                status = 0
            finally:
                conn.close()
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                progress.advance()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    progress.finish()
    return statuses


def tmp_workdir(prefix: str) -> Path:
    """Return a fresh directory under /tmp for one benchmark's databases and keys."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
