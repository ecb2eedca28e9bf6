"""Operator commands: `flask --app compliance …` (see the README)."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from cryptography import x509
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from compliance.cli_progress import shown_on_stderr
from compliance.domain import offline
from compliance.domain.slips import input as slip_input
from compliance.domain.verdict import Status, Verdict
from compliance.extensions import db
from compliance.models import KeyPurpose
from compliance.services import (
    accounts,
    audit,
    audit_anchors,
    caseload,
    imports,
    key_rotation,
    keyring,
    passwords,
    retention,
    summary_resigning,
    user_admin,
    verification,
)
from compliance.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage facilitators, officers and admins.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
keys_cli = AppGroup("keys", help="Manage slip signing keys.")
slips_cli = AppGroup("slips", help="Check slips.")
audit_cli = AppGroup("audit", help="Check and export the tamper-evident audit log.")
sessions_cli = AppGroup("sessions", help="Record attendance of a session.")
summaries_cli = AppGroup("summaries", help="Manage signed summaries.")

# Far above any real participant report (the parser stops at 100,000 rows): a guard against
# reading the wrong, huge file into memory.
MAX_REPORT_FILE_BYTES = 64 * 1024 * 1024


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("setup")
@with_appcontext
def setup_command():
    """Bring the database to the newest schema and make a signing key if there is none."""
    upgrade()
    withdrawn = keyring.newest_key_is_revoked()
    kid = key_rotation.ensure_signing_key(current_app.config["KEYS_DIR"])
    db.session.commit()
    if withdrawn:
        click.echo(f"The current signing key had been revoked: made a new one, {kid}.")
    click.echo(f"Database is up to date. Current signing key: {kid}")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help='Display name printed on slips, e.g. "Sam R."')
@click.option("--role", type=click.Choice(["facilitator", "officer", "admin"]), required=True)
def create_user(email: str, name: str, role: str):
    """Add a user."""
    try:
        user = accounts.create_user(email, name, role)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Created {user.role} {user.email} ({user.display_name}, {user.public_id})")


@users_cli.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
def set_password(email: str, password_stdin: bool):
    """Set a user's password (asked twice, not shown); other sign-ins of theirs end."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        user = passwords.set_password_for_email(email, password, actor="operator")
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Password set for {user.email}")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_user(email: str):
    """Stop a user from signing in and from using their API tokens."""
    try:
        user = user_admin.set_active(accounts.user_by_email(email), False)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Deactivated {user.email}")


@tokens_cli.command("list")
@click.argument("email")
def list_tokens(email: str):
    """List a user's API tokens: id, prefix, when made and last used, status."""
    try:
        user = accounts.user_by_email(email)
    except ServiceError as error:
        _fail(error.message)
    rows = user_admin.tokens_of(user)
    if not rows:
        click.echo(f"{user.email} has no API tokens")
    for row in rows:
        used = row.last_used_at.isoformat() if row.last_used_at else "never used"
        status = f"revoked {row.revoked_at.isoformat()}" if row.revoked_at else "active"
        click.echo(f"{row.id}  {row.prefix}…  made {row.created_at.isoformat()}  {used}  {status}")


@tokens_cli.command("revoke")
@click.argument("token_id")
def revoke_token(token_id: str):
    """Stop an API token from working (TOKEN_ID from `tokens list`)."""
    try:
        user_admin.revoke_token(token_id)
    except ServiceError as error:
        _fail(error.message)
    click.echo(f"Revoked token {token_id}")


@tokens_cli.command("create")
@click.argument("email")
def create_token(email: str):
    """Issue an API token; it is printed once, alone on the last line."""
    try:
        token = accounts.create_api_token(email)
    except ServiceError as error:
        _fail(error.message)
    click.echo("Keep this token secret; it is shown only once:")
    click.echo(token)


@keys_cli.command("rotate")
@click.option(
    "--resign-summaries",
    is_flag=True,
    help="Then re-sign every summary under the new key (see `summaries resign`).",
)
@click.option(
    "--purpose",
    type=click.Choice([p.value for p in KeyPurpose]),
    default=KeyPurpose.DOCUMENTS.value,
    show_default=True,
    help="documents: slips, summaries and reports; audit: audit-log heads.",
)
def rotate_key(resign_summaries: bool, purpose: str):
    """Make a new current signing key; the one before is retired and keeps verifying what it
    signed until now."""
    kid = key_rotation.rotate_signing_key(current_app.config["KEYS_DIR"], KeyPurpose(purpose))
    if resign_summaries and purpose == KeyPurpose.DOCUMENTS:
        _resign_summaries(None)
    click.echo("New current signing key:" if purpose == "documents" else "New current audit key:")
    click.echo(kid)


def _resign_summaries(old_kid: str | None) -> None:
    try:
        with shown_on_stderr() as progress:
            report = summary_resigning.resign_summaries(old_kid, progress)
    except ServiceError as error:
        _fail(error.message)
    except keyring.KeyringError as error:
        _fail(str(error))
    click.echo(f"Re-signed {report.resigned:,} summaries under key {report.kid}.")


@summaries_cli.command("resign")
@click.option("--kid", "old_kid", help="Only summaries signed by this key (default: any older).")
def resign_summaries(old_kid: str | None):
    """Sign a new summary under the current key for every range an older key signed.

    Summaries already shared keep verifying while their key is not revoked; an attendee's next
    download is the re-signed one. Safe to run again: done ranges are skipped.
    """
    _resign_summaries(old_kid)


# A kid is base64url and may start with "-": never mistake it for an option.
@keys_cli.command("revoke", context_settings={"ignore_unknown_options": True})
@click.argument("kid")
@click.option("--reason", required=True, help="Why the key is withdrawn (shown to officers).")
def revoke_key(kid: str, reason: str):
    """Withdraw a key: it leaves the JWKS and its slips verify as key_revoked."""
    try:
        key_rotation.revoke_signing_key(kid, reason)
    except keyring.KeyringError as error:
        _fail(str(error))
    if keyring.current_key_row(KeyPurpose.DOCUMENTS) is None:
        click.echo(
            "Warning: that was the current documents key. Nothing is signed (sessions, "
            "summaries, reports) until `flask --app compliance keys rotate` makes a new one."
        )
    if keyring.current_key_row(KeyPurpose.AUDIT) is None:
        click.echo(
            "Warning: that was the current audit key. Audit heads are not signed until "
            "`flask --app compliance keys rotate --purpose audit` makes a new one."
        )
    click.echo(f"Revoked {kid}")
    # Every case counting a slip of that key changes: computed now, not on officers' visits.
    with shown_on_stderr() as progress:
        cases, officers = caseload.refresh_every_caseload(progress)
    click.echo(f"Brought {cases:,} cases of {officers:,} officers up to date.")


def _read_json(path: str | None) -> dict | None:
    if path is None:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        _fail(f"{path} is not a readable JSON file: {error}")


def _as_of(*paths: str | None) -> str:
    """Return when the newest of the given files was written: offline answers are that old."""
    stamps = [os.path.getmtime(p) for p in paths if p]
    return datetime.fromtimestamp(max(stamps), UTC).strftime("%Y-%m-%d %H:%M UTC")


def _echo_verdict(verdict: Verdict) -> None:
    click.echo(verdict.status.value.upper())
    if verdict.reason:
        click.echo(f"Reason: {verdict.reason}")
    if verdict.note:
        click.echo(f"Note: {verdict.note}")
    if verdict.slip:
        for field, value in verdict.slip.as_public_dict(verdict.kid).items():
            click.echo(f"  {field}: {value}")
    if verdict.summary:
        shown = verdict.summary.as_json()
        for field, value in shown.items():
            # None is what this check cannot know (offline: what only the service knows).
            if field != "records" and value is not None:
                click.echo(f"  {field}: {value}")
        for record in shown["records"] or []:
            click.echo(f"  - {record['code']} {record['date']} {record['status']}")


def _read_certificates(path: str | None) -> tuple[x509.Certificate, ...]:
    if path is None:
        return ()
    try:
        return tuple(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    except ValueError:
        _fail(f"{path} holds no PEM certificate")


@slips_cli.command("verify")
@click.argument("pdf_or_token")
@click.option(
    "--jwks",
    "jwks_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Verify offline with this JWK Set instead of the database.",
)
@click.option(
    "--crl",
    "crl_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Revocation list (/.well-known/crl/KID.json) to apply offline.",
)
@click.option("--issuer", help="Expected issuer (the service origin); offline default: any.")
@click.option(
    "--certificate",
    "certificate_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Offline: the PDF signer's certificate (/.well-known/document-signing.pem).",
)
def verify_slip(
    pdf_or_token: str,
    jwks_path: str | None,
    crl_path: str | None,
    issuer: str | None,
    certificate_path: str | None,
):
    """Print the verdict for a slip PDF, a token or a QR link; exit 0 only when valid."""
    try:
        pdf, token = slip_input.read_slip_input(pdf_or_token)
    except slip_input.SlipInputError as error:
        _fail(str(error))
    if jwks_path:
        verdict = offline.verify_offline(token, _read_json(jwks_path), _read_json(crl_path), issuer)
        if pdf is not None:
            certificates = _read_certificates(certificate_path)
            verdict = offline.check_file(verdict, token, pdf, certificates)
        _echo_verdict(verdict)
        click.echo(
            f"Valid as of {_as_of(jwks_path, crl_path)} (the files cannot know later revocations)."
        )
    else:
        verdict = (
            verification.verify_pdf(pdf) if pdf is not None else verification.verify_token(token)
        )
        _echo_verdict(verdict)
    sys.exit(0 if verdict.status is Status.VALID else 1)


@click.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=retention.DEFAULT_KEEP_DAYS,
    show_default=True,
    help="Keep check-ins without a record for this many days after their session.",
)
@with_appcontext
def purge_command(days: int):
    """Delete check-ins and report rows that never became a signed record (for cron)."""
    with shown_on_stderr() as progress:
        report = retention.purge_unrecorded(days, progress)
    click.echo(
        f"Deleted {report.participants:,} participants, {report.intervals:,} intervals, "
        f"{report.attendees:,} attendee pages without records, {report.mails:,} old mails."
    )


def _active_user(email: str):
    user = accounts.user_by_email(email)
    if not user.active:
        _fail(f"{user.email} is deactivated")
    return user


def _report_bytes(path: str) -> bytes:
    size = os.path.getsize(path)
    if size > MAX_REPORT_FILE_BYTES:
        _fail(f"{path} is {size:,} bytes; a report is at most {MAX_REPORT_FILE_BYTES:,}")
    return Path(path).read_bytes()


@sessions_cli.command("import")
@click.argument("session_id")
@click.argument("report", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True, help="Email of a facilitator of the meeting.")
@click.option("--timezone", help="IANA zone of the report's times (default: the meeting's).")
def import_report(session_id: str, report: str, email: str, timezone: str | None):
    """Import a Zoom, Teams or Meet participant report; a bad file changes nothing."""
    try:
        user = _active_user(email)
        data = _report_bytes(report)
        with shown_on_stderr() as progress:
            summary = imports.import_participant_report(user, session_id, data, timezone, progress)
    except ServiceError as error:
        _fail(error.message)
    click.echo(
        f"Imported {summary.rows:,} {summary.format} rows: "
        f"{summary.participants:,} people into session {session_id}."
    )


@audit_cli.command("verify")
@click.option(
    "--anchors",
    "anchor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A copy of the anchor file kept elsewhere (default: the one beside the keys).",
)
def verify_audit(anchor_file: Path | None):
    """Exit 0 when the chain is intact; otherwise name the first entry that does not fit."""
    with shown_on_stderr() as progress:
        report = audit.verify_chain(progress, anchor_file)
    if report.problem is not None:
        click.echo(f"BROKEN at entry {report.problem.seq}: {report.problem.reason}", err=True)
        sys.exit(1)
    click.echo(f"Audit chain intact: {report.entries} entries.")


@audit_cli.command("sign-head")
def sign_audit_head():
    """Sign the chain's newest entry with the current key (run from cron, e.g. hourly)."""
    signature = audit.sign_head()
    click.echo(f"Signed entry {signature.seq}." if signature else "Nothing new to sign.")


@audit_cli.command("anchors")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-")
def export_anchors(output):
    """Write the signed heads kept outside the database, to ship somewhere else too."""
    for anchor in audit_anchors.read_anchors():
        output.write(json.dumps(anchor, separators=(",", ":")) + "\n")


@audit_cli.command("export")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-")
def export_audit(output):
    """Write every entry as JSON lines, oldest first, with its hashes."""
    for entry in audit.all_entries():
        output.write(json.dumps(audit.entry_as_dict(entry), ensure_ascii=False) + "\n")


def init_app(app: Flask) -> None:
    from compliance.cli_cases import cases_cli
    from compliance.cli_mail import mail_cli

    app.cli.add_command(setup_command)
    app.cli.add_command(mail_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(purge_command)
    groups = (users_cli, tokens_cli, keys_cli, slips_cli, audit_cli, sessions_cli, summaries_cli)
    for group in groups:
        app.cli.add_command(group)
