"""Operator commands: `flask --app compliance …` (see the README)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from compliance.extensions import db
from compliance.services import accounts, keyring
from compliance.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage facilitators, officers and admins.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
keys_cli = AppGroup("keys", help="Manage slip signing keys.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("setup")
@with_appcontext
def setup_command():
    """Bring the database to the newest schema and make a signing key if there is none."""
    upgrade()
    kid = keyring.ensure_signing_key(current_app.config["KEYS_DIR"])
    db.session.commit()
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
def rotate_key():
    """Make a new current signing key; older keys keep verifying their slips."""
    kid = keyring.rotate_signing_key(current_app.config["KEYS_DIR"])
    click.echo("New current signing key:")
    click.echo(kid)


# A kid is base64url and may start with "-": never mistake it for an option.
@keys_cli.command("revoke", context_settings={"ignore_unknown_options": True})
@click.argument("kid")
@click.option("--reason", required=True, help="Why the key is withdrawn (shown to officers).")
def revoke_key(kid: str, reason: str):
    """Withdraw a key: it leaves the JWKS and its slips verify as key_revoked."""
    try:
        keyring.revoke_signing_key(kid, reason)
    except keyring.KeyringError as error:
        _fail(str(error))
    if keyring.current_key_row() is None:
        click.echo("Warning: no signing key is left; run `keys rotate` before signing sessions.")
    click.echo(f"Revoked {kid}")


def init_app(app: Flask) -> None:
    app.cli.add_command(setup_command)
    for group in (users_cli, tokens_cli, keys_cli):
        app.cli.add_command(group)
