"""The built wheel alone, installed outside the checkout, sets up and serves every page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest
from setuptools import find_packages

from tests.support.servers import free_port, gunicorn_command, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_every_package_of_the_checkout_is_listed_for_the_wheel():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = set(find_packages(str(ROOT), include=["compliance", "compliance.*"]))
    mapped = set(listed["package-dir"])
    assert set(listed["packages"]) == found | mapped


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Build the wheel and install it, without dependencies (the test venv has them), into a
    folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools leaves build/ and *.egg-info/ in the tree it builds.
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "dist",
            "*.egg-info",
            "instance",
            "keys",
            "tests",
            "bench",
            "__pycache__",
            ".hypothesis",
            "test-artifacts",
        ),
    )
    subprocess.run(
        [BIN / "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", source],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("compliance-*.whl")
    target = work / "site"
    subprocess.run(
        [BIN / "pip", "install", "-q", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
    )
    return target


def _environment(installed: Path, home: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COMPLIANCE_", "FLASK_", "PYTHON"))
    }
    # The installed copy comes first on the path, before the checkout's editable install.
    env["PYTHONPATH"] = str(installed)
    env["COMPLIANCE_DATABASE_URL"] = f"sqlite:///{home / 'service.sqlite3'}"
    return env


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_the_installed_wheel_sets_up_and_serves_every_page(installed, tmp_path):
    env = _environment(installed, tmp_path)
    where = subprocess.run(
        [sys.executable, "-c", "import compliance; print(compliance.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(installed))
    setup = subprocess.run(
        [BIN / "flask", "--app", "compliance", "setup"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stderr
    assert "Current signing key" in setup.stdout
    port = free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        gunicorn_command(port),
        cwd=tmp_path,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, server, log)
        for path, expected in [
            ("/", "facilitator"),
            ("/checkin", "code"),
            ("/checkin?lang=es", "código"),
            ("/verify", "code"),
            ("/sign-in", "password"),
            ("/static/style.css", "{"),
            ("/.well-known/jwks.json", "Ed25519"),
        ]:
            status, body = _get(base + path)
            assert status == 200, (path, body[:300])
            assert expected in body.lower() or expected in body, path
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The keys were made beside the instance, never inside the package's code.
    keys = [p.name for p in installed.rglob("*.pem")]
    assert keys and all(
        (installed / "compliance").resolve() not in p.resolve().parents
        for p in installed.rglob("*.pem")
    )
