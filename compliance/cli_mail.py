"""`flask --app compliance mail send|worker`: deliver the outbox (cron, or a long-running
process beside the web workers)."""

from __future__ import annotations

import signal
import time

import click
from flask.cli import AppGroup

from compliance.cli_progress import shown_on_stderr
from compliance.services import mail_delivery, outbox
from compliance.services.mail_transport import MailSettingsError, mail_enabled, smtp_server

mail_cli = AppGroup("mail", help="Deliver queued email.")


def _require_mail() -> None:
    if not mail_enabled():
        raise click.ClickException("COMPLIANCE_SMTP_URL is not set: this service sends no email")
    try:
        smtp_server()
    except MailSettingsError as error:
        raise click.ClickException(str(error)) from None


def _report(result: mail_delivery.Delivery) -> None:
    for error in dict.fromkeys(result.errors):
        click.echo(f"warning: {error}", err=True)
    waiting = outbox.status_counts()
    click.echo(
        f"Sent {result.sent:,}, will retry {result.retrying:,}, gave up on {result.failed:,}; "
        f"{waiting['queued']:,} queued, {waiting['failed']:,} failed in all."
    )


@mail_cli.command("send")
def send_command():
    """Send everything due now, retrying what failed before (exit 0 even if the server is
    down: nothing is lost, it waits in the outbox)."""
    _require_mail()
    with shown_on_stderr() as progress:
        progress.begin("Sending queued mail")
        result = mail_delivery.deliver_due(progress.advance)
    _report(result)


@mail_cli.command("worker")
@click.option("--interval", type=click.FloatRange(min=0.1), default=5.0, show_default=True,
              help="Seconds to wait when nothing is due.")  # fmt: skip
@click.option("--once", is_flag=True, help="Stop when nothing is due (tests, one-off runs).")
def worker_command(interval: float, once: bool):
    """Keep delivering the outbox until stopped (SIGTERM or Ctrl-C ends it between messages)."""
    _require_mail()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"Mail worker started; checking every {interval:g} s.", err=True)
    try:
        while not stopping:
            result = mail_delivery.deliver_due()
            if result.sent or result.retrying or result.failed:
                _report(result)
            elif once:
                break
            if not result.sent:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    click.echo("Mail worker stopped.", err=True)
