"""Two app servers, one PostgreSQL database, one Redis, one keys/ directory: the service as it
runs on several hosts. What one host issues or withdraws, the other knows; a rate limit hit
on one counts on the other.

Needs COMPLIANCE_TEST_DATABASE_URL (PostgreSQL) and, for the rate limit, COMPLIANCE_TEST_REDIS_URL
(a Redis database kept for tests: emptied before and after). The tests make and drop their own
database `compliance_multihost` on that server, so they never touch the main suite's database.
Without the variables they are skipped, or fail when CI is set. Each "host" is a real HTTP server
(werkzeug, threaded) in its own process on a free loopback port; a third process — this one —
plays the operator's machine running `flask … keys rotate / revoke`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "compliance_multihost"
BASE_URL = "https://verify.example.org"
STARTUP_SECONDS = 30
KEY_CHANGE_SECONDS = 3.0  # hosts keep verification keys for 1 s; allow for a slow machine

SERVER = textwrap.dedent(
    """
    import os, sys
    from werkzeug.serving import make_server
    from compliance import create_app

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    with open(sys.argv[1] + ".tmp", "w") as handle:
        handle.write(str(server.port))
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()
    """
)


def _postgresql_url() -> str:
    url = os.environ.get("COMPLIANCE_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        message = "COMPLIANCE_TEST_DATABASE_URL (PostgreSQL) is not set"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI needs the multi-host test to run")
        pytest.skip(message)
    return url


@pytest.fixture
def shared_database() -> str:
    """Return the SQLAlchemy URL of a fresh database `compliance_multihost`; drop it after."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    url = make_url(_postgresql_url())
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    yield url.set(database=DATABASE).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(drop)


class Host:
    """One app server process on a free loopback port."""

    def __init__(self, env: dict[str, str], workdir: Path, name: str):
        self.port_file = workdir / f"{name}.port"
        self.log = (workdir / f"{name}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", SERVER, str(self.port_file)],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.origin = ""

    def wait_ready(self, deadline: float) -> None:
        while not self.port_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {self.log.name}")
            time.sleep(0.1)
        self.origin = f"http://127.0.0.1:{self.port_file.read_text()}"

    def call(self, method: str, path: str, body=None, token: str | None = None, raw=None):
        """Return (status, JSON or bytes) of one request to this host."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.origin + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                status, content, kind = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, content, kind = error.code, error.read(), error.headers
        if kind.get_content_type() == "application/json":
            return status, json.loads(content)
        return status, content

    def verdict(self, code_or_token: str) -> dict:
        status, answer = self.call("GET", f"/api/v1/verify/{code_or_token}")
        assert status == 200, answer
        return answer

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def operator(shared_database, tmp_path):
    """The operator's machine: the database migrated, a first key, a facilitator's API token."""
    from flask_migrate import upgrade

    from compliance import create_app
    from compliance.extensions import db
    from compliance.services import accounts, key_rotation

    keys = tmp_path / "keys"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": shared_database,
            "KEYS_DIR": str(keys),
            "BASE_URL": BASE_URL,
            "TESTING": True,
        }
    )
    with app.app_context():
        upgrade()
        key_rotation.ensure_signing_key(str(keys))
        db.session.commit()
        accounts.create_user("sam@example.org", "Sam R.", "facilitator")
        app.config["API_TOKEN"] = accounts.create_api_token("sam@example.org")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _redis_url() -> str:
    url = os.environ.get("COMPLIANCE_TEST_REDIS_URL", "")
    if not url:
        message = "COMPLIANCE_TEST_REDIS_URL is not set"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI needs the multi-host test to run")
        pytest.skip(message)
    return url


@contextmanager
def _two_hosts(operator, shared_database, tmp_path, **settings: str):
    env = {
        **os.environ,
        "COMPLIANCE_DATABASE_URL": shared_database,
        "COMPLIANCE_KEYS_DIR": operator.config["KEYS_DIR"],
        "COMPLIANCE_BASE_URL": BASE_URL,
        **settings,
    }
    if "COMPLIANCE_REDIS_URL" not in settings:
        env.pop("COMPLIANCE_REDIS_URL", None)
    started = [Host(env, tmp_path, name) for name in ("a", "b")]
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        for host in started:
            host.wait_ready(deadline)
        yield started
    finally:
        for host in started:
            host.stop()


@pytest.fixture
def hosts(operator, shared_database, tmp_path):
    """Two hosts with rate limits off: the journey below polls more than an officer would."""
    with _two_hosts(
        operator, shared_database, tmp_path, COMPLIANCE_RATELIMIT_ENABLED="false"
    ) as started:
        yield started


@pytest.fixture
def limited_hosts(operator, shared_database, tmp_path):
    """Two hosts counting their rate limits in one Redis (a database kept for tests)."""
    redis_url = _redis_url()
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    with _two_hosts(
        operator,
        shared_database,
        tmp_path,
        COMPLIANCE_RATELIMIT_ENABLED="true",
        COMPLIANCE_REDIS_URL=redis_url,
    ) as started:
        yield started
    store.flushdb()


def _sign_session(host: Host, token: str, people: list[str], day: int) -> list[dict]:
    status, meeting = host.call(
        "POST",
        "/api/v1/meetings",
        {
            "name": "Tuesday Evening Recovery Circle",
            "program": "SMART Recovery",
            "timezone": "America/Chicago",
        },
        token,
    )
    assert status == 201, meeting
    start = datetime(2025, 3, day, 1, 0, tzinfo=UTC)
    window = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}
    status, session = host.call("POST", f"/api/v1/meetings/{meeting['id']}/sessions", window, token)
    assert status == 201, session
    for name in people:
        entry = {
            "name": name,
            "email": f"{uuid.uuid4().hex[:8]}@example.net",
            "joined_at": window["starts_at"],
            "left_at": window["ends_at"],
        }
        status, answer = host.call(
            "POST", f"/api/v1/sessions/{session['id']}/attendance", entry, token
        )
        assert status == 201, answer
    status, signed = host.call("POST", f"/api/v1/sessions/{session['id']}/finalize", {}, token)
    assert status == 200, signed
    return signed["records"]


def _eventually(check, seconds: float = KEY_CHANGE_SECONDS):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_what_one_host_issues_or_withdraws_the_other_knows(operator, hosts):
    from compliance.extensions import db
    from compliance.services import key_rotation

    a, b = hosts
    token = operator.config["API_TOKEN"]
    dana, lee = _sign_session(a, token, ["Dana Kowalski", "Lee Park"], 4)
    first_kid = a.verdict(dana["code"])["record"]["kid"]

    # Issued through A: B verifies it by code and by token, serves the PDF, and recognises it.
    for what in (dana["code"], dana["token"]):
        assert b.verdict(what)["status"] == "valid"
    slip_path = dana["slip_url"].removeprefix(BASE_URL)
    status, pdf = b.call("GET", slip_path)
    assert status == 200 and pdf.startswith(b"%PDF")
    boundary = uuid.uuid4().hex
    upload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.pdf"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        b.origin + "/api/v1/verify/pdf",
        data=upload,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
        assert json.loads(answer.read())["status"] == "valid"

    # A record revoked through B is revoked on A at once: records are never cached.
    status, _ = b.call(
        "POST", f"/api/v1/records/{dana['id']}/revoke", {"reason": "wrong date"}, token
    )
    assert status == 200
    withdrawn = a.verdict(dana["code"])
    assert withdrawn["status"] == "revoked" and withdrawn["reason"] == "wrong date"
    assert b.verdict(dana["token"])["status"] == "revoked"

    # A key rotated in on the operator's machine signs on A; B verifies it at once, though B
    # has just read (and keeps, for a second) the key set without it.
    assert b.verdict(lee["code"])["status"] == "valid"
    with operator.app_context():
        new_kid = key_rotation.rotate_signing_key(operator.config["KEYS_DIR"])
        db.session.remove()
    (kim,) = _sign_session(a, token, ["Kim Osei"], 11)
    assert b.verdict(kim["code"]) == a.verdict(kim["code"])
    assert b.verdict(kim["code"])["record"]["kid"] == new_kid != first_kid

    # The old key withdrawn on the operator's machine: it leaves the JWKS on both hosts at
    # once, and both hosts call its slips key_revoked within the second they keep keys for.
    with operator.app_context():
        key_rotation.revoke_signing_key(first_kid, "laptop lost")
        db.session.remove()
    for host in hosts:
        status, jwks = host.call("GET", "/.well-known/jwks.json")
        assert status == 200
        assert [k["kid"] for k in jwks["keys"]] == [new_kid]
        answer = _eventually(lambda h=host: h.verdict(lee["code"])["status"] == "key_revoked")
        assert answer, f"{host.origin} still accepts slips of the revoked key"
    assert a.verdict(kim["token"])["status"] == "valid"


def test_a_rate_limit_hit_on_one_host_counts_on_the_other(limited_hosts):
    a, b = limited_hosts
    # Guessing codes: 30 wrong ones per 10 minutes from one address, wherever they land.
    answers = [
        (a, b)[n % 2].call("GET", f"/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-{n:04d}") for n in range(30)
    ]
    assert [status for status, _ in answers] == [200] * 30
    assert {answer["status"] for _, answer in answers} == {"not_found"}
    # B has answered only 15 of them itself, and still refuses the 31st; so does A.
    for host in (b, a):
        status, answer = host.call("GET", "/api/v1/verify/ZZZZ-ZZZZ-ZZZZ-9999")
        assert status == 429, answer
