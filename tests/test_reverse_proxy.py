"""Debian's nginx, configured with the README's own snippet, in front of two gunicorn processes
on PostgreSQL and Redis: clients get their own rate limits through the proxy, HTTPS is seen,
and an upload too large is refused by the proxy and by the app in the same words.

Needs `nginx` (Debian's package; `.ci/run` installs it), COMPLIANCE_TEST_DATABASE_URL
(PostgreSQL: the test makes and drops its own database) and COMPLIANCE_TEST_REDIS_URL (emptied
before and after). Without them the test is skipped, or fails when CI is set. Clients connect
from different loopback addresses (127.0.0.2, 127.0.0.3), as different people would.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from compliance.domain.pdf.signature import self_signed_bundle
from compliance.web.limits import UNKNOWN_CODES_ALLOWED
from tests.support.servers import free_port, gunicorn_command, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "compliance_reverse_proxy"
TOO_LARGE = "The file is too large: uploads are at most 8 MB. Nothing was saved."
ALICE, BOB = "127.0.0.2", "127.0.0.3"


def _required(name: str, prefix: str = "") -> str:
    value = os.environ.get(name, "")
    if not value.startswith(prefix) or not value:
        message = f"{name} is not set"
        if os.environ.get("CI"):
            pytest.fail(message + ", and CI needs the reverse-proxy test to run")
        pytest.skip(message)
    return value


def _nginx() -> str:
    found = shutil.which("nginx") or (Path("/usr/sbin/nginx").exists() and "/usr/sbin/nginx")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: .ci/run installs Debian's nginx")
        pytest.skip("nginx is not installed")
    return found


def _test_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed P-256 certificate and its key in one PEM file, which nginx reads for both."""
    bundle = folder / "tls.pem"
    bundle.write_bytes(self_signed_bundle("127.0.0.1"))
    return bundle, bundle


def _readme_nginx_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("**Reverse proxy**", 1)[1]
    return re.findall(r"```nginx\n(.*?)```", section, flags=re.S)[:2]


def _nginx_config(folder: Path, http_port: int, https_port: int, apps: list[int]) -> Path:
    """The README's snippet with this test's ports, certificate and files, in a main config."""
    site, proxy_headers = _readme_nginx_blocks()
    cert, key = _test_certificate(folder)
    (folder / "compliance_proxy.conf").write_text(proxy_headers)
    site = (
        site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{apps[0]};")
        .replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{apps[1]};")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
        .replace("/etc/ssl/verify.example.org/fullchain.pem", str(cert))
        .replace("/etc/ssl/verify.example.org/privkey.pem", str(key))
        .replace("/etc/nginx/compliance_proxy.conf", str(folder / "compliance_proxy.conf"))
    )
    assert "8000" not in site and "/etc/" not in site, site
    temp = folder / "temp"
    temp.mkdir()
    user = "user root root;\n" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
        f"  scgi_temp_path {temp}/scgi;\n"
        f"{site}\n}}\n"
    )
    return config


class Client:
    """A person at one address, talking HTTPS to the proxy."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE  # the test's own certificate

    def request(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            source_address=(self.address, 0),
            context=self.context,
            timeout=30,
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(self, method: str, path: str, payload=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _, body = self.request(method, path, json.dumps(payload or {}), headers)
        return status, json.loads(body)


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(
        [BIN / "flask", "--app", "compliance", *args], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """nginx on two loopback ports (HTTP, HTTPS) in front of two gunicorn processes."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    nginx = _nginx()
    url = make_url(_required("COMPLIANCE_TEST_DATABASE_URL", "postgresql"))
    redis_url = _required("COMPLIANCE_TEST_REDIS_URL", "redis")
    redis.Redis.from_url(redis_url).flushdb()
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

    folder = tmp_path_factory.mktemp("proxy")
    http_port, https_port, apps = free_port(), free_port(), [free_port(), free_port()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    env.update(
        COMPLIANCE_DATABASE_URL=url.set(database=DATABASE).render_as_string(hide_password=False),
        COMPLIANCE_REDIS_URL=redis_url,
        COMPLIANCE_KEYS_DIR=str(folder / "keys"),
        COMPLIANCE_BASE_URL=f"https://127.0.0.1:{https_port}",
        COMPLIANCE_TRUSTED_PROXIES="1",
    )
    _run(env, "setup")
    _run(env, "users", "create", "sam@example.org", "--name", "Sam R.", "--role", "facilitator")
    token = _run(env, "tokens", "create", "sam@example.org").strip().splitlines()[-1]
    processes = []
    try:
        for port in apps:
            log = folder / f"app-{port}.log"
            process = subprocess.Popen(
                gunicorn_command(port),
                cwd=ROOT,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            processes.append(process)
            wait_for_port(port, process, log)
        config = _nginx_config(folder, http_port, https_port, apps)
        proxy = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "nginx.out").open("wb"),
        )
        processes.append(proxy)
        wait_for_port(https_port, proxy, folder / "nginx.out")
        yield {"https": https_port, "http": http_port, "apps": apps, "token": token}
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        redis.Redis.from_url(redis_url).flushdb()
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(drop)


def _signed_slip_code(client: Client, token: str) -> str:
    meeting = {"name": "Evening Circle", "program": "SMART Recovery", "timezone": "UTC"}
    status, created = client.json("POST", "/api/v1/meetings", meeting, token)
    assert status == 201, created
    window = {"starts_at": "2025-03-04T19:00:00Z", "ends_at": "2025-03-04T20:00:00Z"}
    status, session = client.json(
        "POST", f"/api/v1/meetings/{created['id']}/sessions", window, token
    )
    assert status == 201, session
    attendance = {
        "name": "Dana K",
        "joined_at": "2025-03-04T19:00:00Z",
        "left_at": "2025-03-04T20:00:00Z",
    }
    status, _ = client.json(
        "POST", f"/api/v1/sessions/{session['id']}/attendance", attendance, token
    )
    assert status == 201
    status, signed = client.json("POST", f"/api/v1/sessions/{session['id']}/finalize", None, token)
    assert status == 200, signed
    return signed["records"][0]["code"]


def _unknown_code(n: int) -> str:
    return "/api/v1/verify/2345-6789-ABCD-" + f"{n:04d}".translate(
        str.maketrans("0123456789", "23456789AB")
    )


def test_each_client_behind_the_proxy_has_its_own_budget_and_right_codes_always_pass(proxied):
    alice, bob = Client(proxied["https"], ALICE), Client(proxied["https"], BOB)
    code = _signed_slip_code(alice, proxied["token"])
    allowed = int(UNKNOWN_CODES_ALLOWED.split()[0])
    for n in range(allowed):
        assert alice.request("GET", _unknown_code(n))[0] == 200
    assert alice.request("GET", _unknown_code(9999))[0] == 429
    # A header Alice writes herself buys her nothing: the proxy appends what it saw.
    forged = {"X-Forwarded-For": BOB}
    assert alice.request("GET", _unknown_code(9999), headers=forged)[0] == 429
    # Bob, at another address, is not Alice; and a right code is never refused, even to her.
    assert bob.request("GET", _unknown_code(9999))[0] == 200
    status, _, body = alice.request("GET", f"/api/v1/verify/{code}")
    assert status == 200 and json.loads(body)["status"] == "valid"


def test_https_is_seen_through_the_proxy(proxied):
    status, headers, _ = Client(proxied["https"], ALICE).request("GET", "/sign-in")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in headers["Set-Cookie"]
    plain = http.client.HTTPConnection("127.0.0.1", proxied["http"], timeout=10)
    plain.request("GET", "/verify")
    response = plain.getresponse()
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")


def _announce_upload(port: int, path: str, size: int, tls: bool) -> tuple[int, str]:
    """Announce a body of `size` bytes and read the answer, as a refusing server gives it
    before reading the body."""
    if tls:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, context=Client(port, ALICE).context, timeout=30
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


@pytest.mark.parametrize("path", ["/api/v1/verify/pdf", "/verify/pdf"])
def test_an_upload_too_large_is_refused_in_the_same_words_by_proxy_and_app(proxied, path):
    nine_megabytes = 9 * 1024 * 1024
    by_proxy = _announce_upload(proxied["https"], path, nine_megabytes, tls=True)
    by_app = _announce_upload(proxied["apps"][0], path, nine_megabytes, tls=False)
    assert by_proxy[0] == by_app[0] == 413
    assert TOO_LARGE in by_proxy[1] and TOO_LARGE in by_app[1]
