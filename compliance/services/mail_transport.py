"""The SMTP server mail goes through, from COMPLIANCE_SMTP_URL (standard library smtplib)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from flask import current_app

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 20


class MailSettingsError(ValueError):
    """COMPLIANCE_SMTP_URL cannot be used as written."""


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None

    def connect(self) -> smtplib.SMTP:
        """Open one connection (plain, STARTTLS or TLS) and log in when a user is given."""
        if self.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            if self.scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
        if self.username:
            smtp.login(self.username, self.password or "")
        return smtp


def parse_smtp_url(url: str) -> SmtpServer:
    """Read smtp://[user:password@]host:port, smtp+starttls://… or smtps://…"""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise MailSettingsError(
            "COMPLIANCE_SMTP_URL must look like smtp://host:port, smtp+starttls://user:password@"
            "host:587 or smtps://user:password@host:465"
        )
    try:
        port = parts.port or SCHEMES[parts.scheme]
    except ValueError as error:
        raise MailSettingsError(f"COMPLIANCE_SMTP_URL has a bad port: {error}") from None
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return SmtpServer(parts.scheme, parts.hostname, port, username, password)


def mail_enabled() -> bool:
    """Whether the service sends email at all (COMPLIANCE_SMTP_URL is set)."""
    return bool(current_app.config.get("SMTP_URL"))


def smtp_server() -> SmtpServer:
    return parse_smtp_url(current_app.config["SMTP_URL"])


def sender_address() -> str:
    """Return the From address: COMPLIANCE_MAIL_FROM, else no-reply@ the public host."""
    configured = current_app.config.get("MAIL_FROM")
    if configured:
        return configured
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"no-reply@{host}"
