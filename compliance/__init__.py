"""Court-compliance attendance verification service."""

from __future__ import annotations

import os

from flask import Flask

from compliance.config import PROJECT_ROOT, settings_from_environment


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: settings, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings_from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)

    register_secrets(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_secrets(app: Flask) -> None:
    from compliance.services.keyring import load_or_create_app_secret

    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_app_secret(app.config["KEYS_DIR"])


def register_extensions(app: Flask) -> None:
    from compliance.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)


def register_blueprints(app: Flask) -> None:
    from compliance.web import api, health, slips, verify, wellknown

    for module in (api, health, slips, verify, wellknown):
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from compliance.web import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from compliance import cli

    cli.init_app(app)
