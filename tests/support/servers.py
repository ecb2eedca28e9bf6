"""App servers the tests start themselves: a free loopback port, gunicorn, waiting for it."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int) -> list:
    """One worker of the app factory under the repository's gunicorn config, on loopback."""
    return [
        BIN / "gunicorn",
        "-c",
        "python:compliance.gunicorn_config",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "compliance:create_app()",
    ]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait until something listens on the port; fail with the log if the process died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}: " + log.read_text(errors="replace"))
