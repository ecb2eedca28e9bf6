"""The repository's gunicorn settings: how many workers, and preloading an app before forking."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from compliance import gunicorn_config
from compliance.gunicorn_config import default_workers
from tests.conftest import _migrated

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "python:compliance.gunicorn_config"
STARTUP_SECONDS = 30

ONE_LINE_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def ok():
    return "ok"
"""


def test_workers_are_two_per_core_plus_one(monkeypatch):
    monkeypatch.delenv("COMPLIANCE_WORKERS", raising=False)
    assert default_workers(cores=1) == 3
    assert default_workers(cores=4) == 9


def test_compliance_workers_caps_the_count_and_never_raises_it(monkeypatch):
    monkeypatch.setenv("COMPLIANCE_WORKERS", "2")
    assert default_workers(cores=4) == 2
    monkeypatch.setenv("COMPLIANCE_WORKERS", "50")
    assert default_workers(cores=4) == 9


@pytest.mark.parametrize(
    ("value", "message"),
    [("two", "must be a whole number"), ("0", "must be at least 1")],
)
def test_a_bad_worker_count_stops_startup_with_the_variable_named(monkeypatch, value, message):
    monkeypatch.setenv("COMPLIANCE_WORKERS", value)
    with pytest.raises(SystemExit, match=f"COMPLIANCE_WORKERS {message}"):
        default_workers(cores=2)


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()}


@contextmanager
def _gunicorn(app_spec: str, env: dict[str, str], log: Path, *flags: str):
    """Run gunicorn with the repository config and two workers; yield (origin, master pid)."""
    port = _free_port()
    env = {**env, "COMPLIANCE_BIND": f"127.0.0.1:{port}", "COMPLIANCE_WORKERS": "2"}
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", CONFIG, *flags, app_spec],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    origin = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(_alive_workers(server)) < 2 or not _answers(origin):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield origin, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _alive_workers(server: subprocess.Popen) -> set[int]:
    try:
        return _worker_pids(server.pid)
    except OSError:
        return set()


def _answers(origin: str) -> bool:
    try:
        urllib.request.urlopen(f"{origin}/healthz", timeout=2).close()  # noqa: S310
    except OSError:
        return False
    return True


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_preloaded_app_serves_database_reads_from_every_worker(tmp_path, tmp_path_factory):
    database = "sqlite:///" + str(tmp_path / "db.sqlite3")
    _migrated(database, tmp_path_factory)
    env = dict(
        os.environ,
        COMPLIANCE_DATABASE_URL=database,
        COMPLIANCE_KEYS_DIR=str(tmp_path / "keys"),
        COMPLIANCE_RATELIMIT_ENABLED="false",
    )
    log = tmp_path / "gunicorn.log"
    with _gunicorn("wsgi:app", env, log, "--preload") as (origin, master):
        answers = [_get(f"{origin}/api/v1/verify/B6M4-HC3G-3E44-ES58") for _ in range(40)]
        workers = _worker_pids(master)
    assert {status for status, _ in answers} == {200}, answers[:3]
    assert {json.loads(body)["status"] for _, body in answers} == {"not_found"}
    assert len(workers) == 2
    assert "Exception in worker process" not in log.read_text()


def test_preloading_an_app_that_is_not_this_service_boots_its_workers(tmp_path):
    (tmp_path / "one_line_app.py").write_text(ONE_LINE_APP)
    env = dict(os.environ, COMPLIANCE_PRELOAD="true")
    log = tmp_path / "gunicorn.log"
    with _gunicorn("one_line_app:app", env, log, "--pythonpath", str(tmp_path)) as (origin, _):
        assert _get(f"{origin}/healthz") == (200, b"ok")
    assert "Exception in worker process" not in log.read_text()


@pytest.mark.parametrize(
    ("workers", "environment", "warned"),
    [
        (2, {}, True),
        (1, {}, False),
        (4, {"COMPLIANCE_REDIS_URL": "redis://127.0.0.1:6379/0"}, False),
        (4, {"COMPLIANCE_RATELIMIT_ENABLED": "false"}, False),
    ],
)
def test_several_workers_without_redis_are_warned_about(workers, environment, warned):
    warning = gunicorn_config.shared_limits_warning(workers, environment)
    assert (warning is not None) == warned
    if warned:
        assert "COMPLIANCE_REDIS_URL" in warning and f"{workers} workers" in warning


def test_the_warning_is_in_the_log_at_start(tmp_path, tmp_path_factory):
    database = "sqlite:///" + str(tmp_path / "db.sqlite3")
    _migrated(database, tmp_path_factory)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("COMPLIANCE_")
    }
    env.update(COMPLIANCE_DATABASE_URL=database, COMPLIANCE_KEYS_DIR=str(tmp_path / "keys"))
    log = tmp_path / "gunicorn.log"
    with _gunicorn("wsgi:app", env, log) as (origin, _):
        assert _get(f"{origin}/healthz")[0] == 200
    assert "COMPLIANCE_REDIS_URL is not set and 2 workers run" in log.read_text()
