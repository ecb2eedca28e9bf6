"""`flask --app compliance cases notify|refresh`: queue the case mail due today (cron, daily);
compute every caseload ahead of the officers."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from compliance.cli_progress import shown_on_stderr
from compliance.services import case_notices, caseload
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


@cases_cli.command("refresh")
def refresh_command():
    """Bring every officer's caseload up to date now (after an upgrade or a key revocation, so
    the first visit to a large dashboard need not wait)."""
    with shown_on_stderr() as progress:
        cases, officers = caseload.refresh_every_caseload(progress)
    click.echo(f"Brought {cases:,} cases of {officers:,} officers up to date.")
