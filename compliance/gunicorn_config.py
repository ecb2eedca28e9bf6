"""Gunicorn settings for production: `gunicorn -c python:compliance.gunicorn_config wsgi:app`.

Environment (all optional):

- `COMPLIANCE_BIND` — address to listen on; default `127.0.0.1:8000` (put a TLS-terminating
  proxy in front; bind `0.0.0.0:8000` only on a private network).
- `COMPLIANCE_WORKERS` — an upper bound on the number of worker processes. Without it there are
  `2 × cores + 1` workers (cores usable by this process, so CPU sets and `taskset` count); with
  it, at most that many (e.g. `COMPLIANCE_WORKERS=2` on a small shared host). Gunicorn's own
  `--workers` flag on the command line still wins over this file.
- `COMPLIANCE_THREADS` — threads per worker; default 1, i.e. classic synchronous workers. More
  than 1 switches to the `gthread` worker, which keeps client connections alive; worth it when
  clients connect directly, not behind a proxy that already pools connections.
- `COMPLIANCE_TIMEOUT` — seconds a worker may spend on one request before it is killed and
  replaced; default 30. Report imports (8 MB at most) and finalizing large sessions finish in a
  few seconds on a small machine, so 30 s only trips on something stuck.
- `COMPLIANCE_GRACEFUL_TIMEOUT` — seconds workers get to finish requests in flight after
  SIGTERM/SIGHUP before being killed; default 30.
- `COMPLIANCE_PRELOAD` — `true` imports the app once in the master before forking (see below);
  default false.

Access and error logs go to standard output / standard error, for the service manager or the
container runtime to collect. The access log never holds the secrets this service carries in
URLs (slip tokens and codes, attendee, share, download and set-password links, check-in
codes): `SecretRedactingLogger` writes `[redacted]` in their place. A proxy in front keeps its
own access log; configure the same there (or log no paths).

About `preload_app`: preloading imports the app (Flask, SQLAlchemy, reportlab, the fonts) once
in the master, so workers start faster and share those pages copy-on-write (~20–30 MB saved per
worker). The cost: code changes need a full restart (SIGHUP reloads only re-fork the already
loaded app), and anything opened at import time would be shared by all workers. The app factory
opens no database connection and no socket at import, and `post_fork` below throws away any
pooled connection inherited from the master anyway, which makes preloading safe; it is still off
by default because "restart to deploy" is the simpler routine to get right.
"""

from __future__ import annotations

import os


def _int_from_env(name: str, default: int, minimum: int = 1) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, not {number}")
    return number


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cores: int | None = None) -> int:
    """Return 2 × cores + 1, lowered to COMPLIANCE_WORKERS when that is set and smaller."""
    by_cores = 2 * (cores or _usable_cores()) + 1
    cap = _int_from_env("COMPLIANCE_WORKERS", by_cores)
    return min(by_cores, cap)


bind = os.environ.get("COMPLIANCE_BIND", "").strip() or "127.0.0.1:8000"
workers = default_workers()
threads = _int_from_env("COMPLIANCE_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int_from_env("COMPLIANCE_TIMEOUT", 30)
graceful_timeout = _int_from_env("COMPLIANCE_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # seconds an idle kept-alive connection stays open (gthread only)
preload_app = os.environ.get("COMPLIANCE_PRELOAD", "").strip().lower() in {"1", "true", "yes", "on"}

accesslog = "-"
errorlog = "-"
logger_class = "compliance.gunicorn_logging.SecretRedactingLogger"
loglevel = "info"
# Client, request line, status, bytes, milliseconds, user agent; no cookies, no referer.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Request size limits in front of Flask's own MAX_CONTENT_LENGTH.
limit_request_line = 8190
limit_request_fields = 100


def on_starting(server):
    """Say at start when rate limits cannot be shared: each worker would count on its own."""
    warning = shared_limits_warning(server.cfg.workers, os.environ)
    if warning:
        server.log.warning(warning)


def shared_limits_warning(worker_count: int, environment) -> str | None:
    if worker_count <= 1 or environment.get("COMPLIANCE_REDIS_URL", "").strip():
        return None
    if environment.get("COMPLIANCE_RATELIMIT_ENABLED", "").strip().lower() in {
        "0",
        "false",
        "no",
        "off",
    }:
        return None
    return (
        f"COMPLIANCE_REDIS_URL is not set and {worker_count} workers run: each worker counts "
        "rate limits on its own, so a client gets that many times the budget. Set "
        "COMPLIANCE_REDIS_URL (every worker and host then shares one count)."
    )


def post_fork(server, worker):
    """Give each worker its own database connections, never the master's (preload_app).

    `server.cfg` holds the setting in force, whether it came from here or from `--preload`.
    An app that is not this service (the benchmarks' one-line baseline) has nothing to drop.
    """
    if not server.cfg.preload_app:
        return
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return
    from compliance.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
