"""Fixtures: an app on SQLite (or PostgreSQL when COMPLIANCE_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from compliance import create_app
from compliance.extensions import db
from compliance.services import accounts, key_rotation

BASE_URL = "https://verify.example.org"


DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("COMPLIANCE_TEST_DATABASE_URL") else [])


@contextmanager
def private_postgresql_database(server_url: str):
    """Yield the URL of a fresh database on the given server, dropped afterwards.

    Each run gets its own database, so two runs on one server (a developer's and CI's, or
    parallel jobs) never delete each other's rows.
    """
    server = sa.make_url(server_url)
    name = f"{server.database}_run_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request, tmp_path_factory):
    """Return a test database migrated to the newest schema: SQLite, and PostgreSQL when set."""
    if request.param == "postgresql":
        with private_postgresql_database(os.environ["COMPLIANCE_TEST_DATABASE_URL"]) as url:
            yield _migrated(url, tmp_path_factory)
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        yield _migrated(url, tmp_path_factory)


def _migrated(url: str, tmp_path_factory) -> str:
    keys = tmp_path_factory.mktemp("setup-keys")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KEYS_DIR": str(keys), "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    keys_dir = tmp_path / "keys"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "KEYS_DIR": str(keys_dir),
            "BASE_URL": BASE_URL,
        }
    )
    with app.app_context():
        key_rotation.ensure_signing_key(str(keys_dir))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.rollback()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class ApiUser:
    """A user with an API token, and a client that sends it."""

    email: str
    token: str
    client: object

    def _headers(self, headers=None):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, url, **kw):
        return self.client.get(url, headers=self._headers(kw.pop("headers", None)), **kw)

    def post(self, url, **kw):
        return self.client.post(url, headers=self._headers(kw.pop("headers", None)), **kw)


def make_api_user(app, email: str, name: str = "Sam R.", role: str = "facilitator") -> ApiUser:
    with app.app_context():
        accounts.create_user(email, name, role)
        token = accounts.create_api_token(email)
    return ApiUser(email=email, token=token, client=app.test_client())


@pytest.fixture
def facilitator(app) -> ApiUser:
    return make_api_user(app, "sam@example.org", "Sam R.")


@pytest.fixture
def other_facilitator(app) -> ApiUser:
    return make_api_user(app, "alex@example.org", "Alex F.")
