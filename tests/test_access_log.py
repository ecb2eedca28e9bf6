"""The access log never holds the secrets this service carries in URLs.

The unit half checks the redaction; the other half runs gunicorn with the repository's config
and reads what it wrote.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, suppress
from pathlib import Path

import pytest

from compliance.web.log_privacy import REDACTED, redact_secrets
from tests.conftest import _migrated

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "python:compliance.gunicorn_config"
TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJuYW1lIjoiRGFuYSBLb3dhbHNraSJ9.c2lnbmF0dXJl"
CODE = "B6M4-HC3G-3E44-ES58"
LINK = "InNvbWUtYXR0ZW5kZWUtaWQi.ZxYw.c2lnbmF0dXJlLW9mLXRoZS1saW5r"


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        (f"GET /v/{TOKEN} HTTP/1.1", "GET /v/[redacted] HTTP/1.1"),
        (f"GET /api/v1/verify/{TOKEN} HTTP/1.1", "GET /api/v1/verify/[redacted] HTTP/1.1"),
        (f"GET /api/v1/verify/{CODE}", "GET /api/v1/verify/[redacted]"),
        ("POST /api/v1/verify/pdf HTTP/1.1", "POST /api/v1/verify/pdf HTTP/1.1"),
        (f"GET /verify?code={CODE}&lang=es", "GET /verify?code=[redacted]&lang=es"),
        (f"code={CODE}&lang=es", "code=[redacted]&lang=es"),  # the query alone (atom q)
        (f"lang=es&token={TOKEN}", "lang=es&token=[redacted]"),
        ("barcode=12&lang=es", "barcode=12&lang=es"),
        (f"GET /me/{LINK}/summary.pdf", "GET /me/[redacted]/summary.pdf"),
        (f"POST /me/{LINK}/shares/abc/revoke", "POST /me/[redacted]/shares/abc/revoke"),
        (f"GET /share/{LINK}", "GET /share/[redacted]"),
        (f"GET /slips/{LINK}.pdf", "GET /slips/[redacted]"),
        (f"GET /set-password/{LINK}", "GET /set-password/[redacted]"),
        ("GET /checkin/ABCD-EFGH?lang=es", "GET /checkin/[redacted]?lang=es"),
        (f"https://verify.example.org/v/{TOKEN}", f"https://verify.example.org/v/{REDACTED}"),
        ("GET /verify HTTP/1.1", "GET /verify HTTP/1.1"),
        ("GET /facilitator/sessions/abc HTTP/1.1", "GET /facilitator/sessions/abc HTTP/1.1"),
        ("-", "-"),
        ("", ""),
        (None, None),
    ],
)
def test_secrets_in_urls_are_redacted_and_nothing_else(logged, kept):
    assert redact_secrets(logged) == kept


@pytest.mark.parametrize(
    ("log_format", "redacted"),
    [
        ('%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"', ("r",)),
        ('%(U)s?%(q)s from %({Referer}i)s', ("U", "q", "{referer}i")),
        ("%(h)s %(u)s %(s)s", ()),
    ],
)
def test_every_url_atom_a_format_writes_is_redacted(log_format, redacted):
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import SafeAtoms

    from compliance.gunicorn_logging import SecretRedactingLogger, _url_atoms_in

    assert _url_atoms_in(log_format) == redacted
    config = Config()
    config.set("access_log_format", log_format)
    path = f"/v/{TOKEN}"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?code={CODE}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": f"code={CODE}",
        "REMOTE_ADDR": "127.0.0.1",
    }
    request = SimpleNamespace(headers=[("REFERER", f"https://verify.example.org{path}")])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = SecretRedactingLogger(config).atoms(response, request, environ, timedelta(0))
    written = log_format % SafeAtoms(atoms)
    assert TOKEN not in written and CODE not in written, written
    assert (REDACTED in written) == bool(redacted)


def _free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_with_the_repository_config_logs_no_secret(tmp_path, tmp_path_factory):
    database = "sqlite:///" + str(tmp_path / "db.sqlite3")
    _migrated(database, tmp_path_factory)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        COMPLIANCE_DATABASE_URL=database,
        COMPLIANCE_KEYS_DIR=str(tmp_path / "keys"),
        COMPLIANCE_BIND=f"127.0.0.1:{port}",
        COMPLIANCE_WORKERS="1",
        COMPLIANCE_RATELIMIT_ENABLED="false",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", CONFIG, "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        origin = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{origin}/healthz", timeout=2).close()  # noqa: S310
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        for path in (f"/v/{TOKEN}", f"/api/v1/verify/{TOKEN}", f"/verify?code={CODE}"):
            with suppress(OSError):
                urllib.request.urlopen(origin + path, timeout=5).close()  # noqa: S310
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert written.count(REDACTED) >= 3, written
    assert TOKEN not in written and CODE not in written
    assert "GET /healthz" in written  # it is the access log, and other paths stay readable
