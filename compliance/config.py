"""Settings read from COMPLIANCE_* environment variables (see the README)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A checkout keeps templates/, migrations/ and keys/ at its top level; an installed wheel has
# the first two inside the package, and keys beside the instance folder.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "templates").is_dir()
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def shipped_folder(name: str) -> Path:
    """Return where templates/ or migrations/ are: in the package once installed from a wheel,
    else at the top of the checkout."""
    return PROJECT_ROOT / name if IN_CHECKOUT else PACKAGE_DIR / name


def default_keys_dir(instance_path: str) -> str:
    return str(PROJECT_ROOT / "keys" if IN_CHECKOUT else Path(instance_path) / "keys")


def _secret_key_fallbacks(value: str | None) -> list[str]:
    """Older app secrets that still open links during a rotation (comma-separated)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _whole_number(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    if not value.strip().isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def settings_from_environment(instance_path: str) -> dict:
    """Return Flask config values from the environment, with safe defaults."""
    env = os.environ
    sqlite_default = "sqlite:///" + os.path.join(instance_path, "compliance.sqlite3")
    return {
        "SQLALCHEMY_DATABASE_URI": env.get("COMPLIANCE_DATABASE_URL") or sqlite_default,
        "KEYS_DIR": env.get("COMPLIANCE_KEYS_DIR") or default_keys_dir(instance_path),
        "BASE_URL": (env.get("COMPLIANCE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
        "REDIS_URL": env.get("COMPLIANCE_REDIS_URL") or None,
        "RATELIMIT_ENABLED": _flag(env.get("COMPLIANCE_RATELIMIT_ENABLED"), True),
        "SMTP_URL": env.get("COMPLIANCE_SMTP_URL") or None,
        "MAIL_FROM": env.get("COMPLIANCE_MAIL_FROM") or None,
        "MAX_CONTENT_LENGTH": MAX_UPLOAD_BYTES,
        "SECRET_KEY_FALLBACKS": _secret_key_fallbacks(env.get("COMPLIANCE_SECRET_KEY_FALLBACKS")),
        "TRUSTED_PROXIES": _whole_number(
            "COMPLIANCE_TRUSTED_PROXIES", env.get("COMPLIANCE_TRUSTED_PROXIES"), 0
        ),
        "JSON_SORT_KEYS": False,
    }


def engine_options_for(database_url: str) -> dict:
    """Return engine options: a server database gets its pooled connections tested first.

    After a database restart or failover the next request then gets a fresh connection
    instead of an error. A SQLite file cannot go away like that, and the ping would cost
    every request a round trip.
    """
    return {} if database_url.startswith("sqlite") else {"pool_pre_ping": True}
