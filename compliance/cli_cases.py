"""`flask --app compliance cases notify`: queue the case mail due today (cron, daily)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.services import case_notices
from compliance.services.mail_transport import mail_enabled

cases_cli = AppGroup("cases", help="Officers' cases.")


@cases_cli.command("notify")
def notify_command():
    """Queue officers' weekly digests of cases behind and attendees' reminders of a week about
    to close short (each once); `mail send` or the mail worker delivers them."""
    if not mail_enabled():
        click.echo("COMPLIANCE_SMTP_URL is not set: this service sends no email; nothing queued.")
        return
    queued = case_notices.queue_case_mail()
    click.echo(f"Queued {queued.digests:,} officer digests and {queued.reminders:,} reminders.")
