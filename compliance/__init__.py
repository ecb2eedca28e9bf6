"""Court-compliance attendance verification service."""

from __future__ import annotations

import os

from flask import Flask

from compliance.config import engine_options_for, settings_from_environment, shipped_folder


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: settings, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(shipped_folder("templates")),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(settings_from_environment(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options_for(app.config["SQLALCHEMY_DATABASE_URI"])
    )

    register_secrets(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_proxies(app)  # outermost: every other layer sees the client it reports
    return app


def register_secrets(app: Flask) -> None:
    from compliance.services.keyring import load_or_create_app_secret

    app.config.setdefault("SECRET_KEY", None)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_app_secret(app.config["KEYS_DIR"])


def register_proxies(app: Flask) -> None:
    """Behind N trusted reverse proxies, take the client address, scheme and host from their
    X-Forwarded-* headers (rate limits, logs, secure cookies); with none, ignore those headers."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    from compliance import i18n
    from compliance.extensions import csrf, db, limiter, login_manager, migrate
    from compliance.web import api, sessions

    db.init_app(app)
    migrate.init_app(app, db, directory=str(shipped_folder("migrations")), render_as_batch=True)
    configure_sign_in(app)
    sessions.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    csrf.exempt(api.bp)  # bearer tokens, not cookies: nothing for a forged form to ride on
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    i18n.init_app(app)


def configure_sign_in(app: Flask) -> None:
    """Set cookie and CSRF defaults for people who sign in with a password."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["BASE_URL"].startswith("https://"),
    )
    # Pages send no Referer (base.html), so the HTTPS referrer check would refuse every form;
    # the per-session token plus SameSite=Lax cookies carry the protection.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)


def register_blueprints(app: Flask) -> None:
    from compliance.web import (
        admin,
        api,
        attendee,
        audit_log,
        auth,
        checkin,
        converters,
        facilitator,
        health,
        officer,
        slips,
        verify,
        wellknown,
    )

    converters.init_app(app)

    audiences = (api, verify, slips, wellknown, health, auth, facilitator, officer, checkin)
    audiences = (*audiences, attendee)
    for module in (*audiences, admin, audit_log):
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from compliance.web import errors, security

    errors.init_app(app)
    security.init_app(app)


def register_commands(app: Flask) -> None:
    from compliance import cli

    cli.init_app(app)
