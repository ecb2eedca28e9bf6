"""The database goes away: clear 503s (never a 500), and recovery without a restart.

The first half points an app at a PostgreSQL port where nothing listens. The second half needs a
real server (COMPLIANCE_TEST_DATABASE_URL): its connections are killed under the app, and then
the server disappears behind a loopback proxy and comes back.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import closing, suppress

import pytest
import sqlalchemy as sa

from compliance import create_app
from compliance.extensions import db
from compliance.services import accounts, key_rotation, links
from tests.app.web_session import Browser, signed_in
from tests.conftest import BASE_URL, _migrated, private_postgresql_database

NOTHING_LISTENS = "postgresql+psycopg://postgres@127.0.0.1:1/compliance"
UNKNOWN_CODE = "ABCD-EFGH-JKMN-PQRS"
TOKEN = "cpt_" + "x" * 43  # noqa: S105 (shaped like a token; never stored anywhere)


def _app(url: str, keys_dir) -> object:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "KEYS_DIR": str(keys_dir),
            "BASE_URL": BASE_URL,
            "RATELIMIT_ENABLED": False,
        }
    )


@pytest.fixture
def down_app(tmp_path):
    app = _app(NOTHING_LISTENS, tmp_path / "keys")
    yield app
    with app.app_context():
        db.engine.dispose()


def assert_json_503(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.is_json
    error = response.get_json()["error"]
    assert "database" in error.lower() and "try again" in error.lower()
    assert response.headers.get("Retry-After", "").isdigit()


def assert_page_503(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Error 503" in page and "try again in a moment" in page
    assert "Traceback" not in page and "psycopg" not in page and "127.0.0.1" not in page
    assert response.headers.get("Retry-After", "").isdigit()


# --- nothing listens ----------------------------------------------------------------------------


def test_healthz_says_unavailable(down_app):
    response = down_app.test_client().get("/healthz")
    assert response.status_code == 503 and response.is_json
    assert response.get_json()["status"] == "unavailable"


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [
        ("get", "/api/v1/meetings/abc", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
        (
            "post",
            "/api/v1/meetings",
            {
                "headers": {"Authorization": f"Bearer {TOKEN}"},
                "json": {"name": "M", "program": "AA", "timezone": "Europe/London"},
            },
        ),
        ("get", "/api/v1/sessions/abc/roster", {"headers": {"Authorization": f"Bearer {TOKEN}"}}),
        ("get", "/api/v1/verify/ABCD-EFGH-JKMN-PQRS", {}),
        ("get", "/api/v1/verify/eyJhbGciOiJFZERTQSJ9.e30.c2ln", {}),
        ("get", "/.well-known/jwks.json", {}),
        ("get", "/.well-known/crl/abc.json", {}),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_api_calls_answer_503_json(down_app, method, url, kwargs):
    assert_json_503(getattr(down_app.test_client(), method)(url, **kwargs))


@pytest.mark.parametrize(
    "url",
    [
        "/verify?code=ABCD-EFGH-JKMN-PQRS",
        "/v/eyJhbGciOiJFZERTQSJ9.e30.c2ln",
        "/checkin/ABCD-EFGH-JKMN-PQRS",
        "/me/{attendee}",
        "/share/{share}",
        "/slips/{slip}.pdf",
    ],
)
def test_pages_answer_a_friendly_503(down_app, url):
    # Genuinely signed links: forged ones are refused (404) before the database is asked.
    with down_app.app_context():
        signed = {
            "attendee": links.sign_link(links.ATTENDEE_PAGE, "an-attendee-id"),
            "share": links.sign_link(links.SHARE_LINK, "a-share-id"),
            "slip": links.sign_link(links.SLIP_DOWNLOAD, "a-record-id"),
        }
    assert_page_503(down_app.test_client().get(url.format(**signed)))


def test_a_page_asked_for_as_json_answers_json(down_app):
    response = down_app.test_client().get(
        "/verify?code=ABCD-EFGH-JKMN-PQRS", headers={"Accept": "application/json"}
    )
    assert_json_503(response)


def test_pages_that_need_no_database_still_work(down_app):
    client = down_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/sign-in").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_a_signed_in_user_gets_503_not_the_sign_in_page(down_app):
    """The user loader cannot read the account: that is an outage, not a signed-out visitor."""
    client = down_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "0123456789abcdef.fingerprint"
        session["_fresh"] = True
    for url in ("/facilitator/", "/admin/users", "/verify?code=ABCD-EFGH-JKMN-PQRS", "/"):
        assert_page_503(client.get(url))


def test_signing_in_answers_503(down_app):
    browser = Browser(down_app.test_client())
    assert browser.get("/sign-in").status_code == 200
    assert_page_503(browser.post("/sign-in", {"email": "sam@example.org", "password": "x" * 12}))


def _raiser(error: Exception):
    def view():
        raise error

    return view


def _driver_error(kind, invalidated: bool = False) -> Exception:
    return kind(
        "SELECT 1",
        {},
        Exception("server closed the connection"),
        connection_invalidated=invalidated,
    )


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (_driver_error(sa.exc.OperationalError), 503),
        (_driver_error(sa.exc.InterfaceError), 503),
        (_driver_error(sa.exc.DBAPIError, invalidated=True), 503),
        (_driver_error(sa.exc.ProgrammingError, invalidated=True), 503),
        (_driver_error(sa.exc.DBAPIError), 500),
        (_driver_error(sa.exc.ProgrammingError), 500),
        (_driver_error(sa.exc.DataError), 400),
    ],
    ids=["operational", "interface", "invalidated", "invalidated-programming", "other-driver",
         "programming", "data"],
)  # fmt: skip
def test_driver_errors_that_mean_a_lost_connection_are_503(tmp_path, error, status):
    app = _app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "keys")
    app.add_url_rule("/api/v1/boom", "api_boom", _raiser(error))
    app.add_url_rule("/boom", "page_boom", _raiser(error))
    client = app.test_client()
    api, page = client.get("/api/v1/boom"), client.get("/boom")
    assert (api.status_code, page.status_code) == (status, status)
    assert api.is_json and page.mimetype == "text/html"
    if status == 503:
        assert_json_503(api)
        assert_page_503(page)
    assert "Traceback" not in page.get_data(as_text=True)


# --- a real server: killed connections, an outage and a return --------------------------------

needs_postgresql = pytest.mark.skipif(
    not os.environ.get("COMPLIANCE_TEST_DATABASE_URL"),
    reason="COMPLIANCE_TEST_DATABASE_URL is not set",
)


@pytest.fixture(scope="module")
def postgresql_url(tmp_path_factory):
    with private_postgresql_database(os.environ["COMPLIANCE_TEST_DATABASE_URL"]) as url:
        yield _migrated(url, tmp_path_factory)


def _with_port(url: str, port: int) -> str:
    return sa.make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def _terminate_app_connections(url: str) -> int:
    """Kill every other connection to the database, as a failover or restart would."""
    target = sa.make_url(url)
    admin = sa.create_engine(target, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        killed = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": target.database},
        ).scalar_one()
    admin.dispose()
    return killed


def _facilitator(app) -> tuple[str, object]:
    with app.app_context():
        key_rotation.ensure_signing_key(app.config["KEYS_DIR"])
        accounts.create_user("sam@example.org", "Sam R.", "facilitator")
        token = accounts.create_api_token("sam@example.org")
        db.session.commit()
    return token, signed_in(app, "sam@example.org")


def _empty(app) -> None:
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@needs_postgresql
def test_the_pool_pings_before_use(postgresql_url, tmp_path):
    app = _app(postgresql_url, tmp_path / "keys")
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping") is True
    with app.app_context():
        assert db.engine.pool._pre_ping


@needs_postgresql
def test_killed_connections_are_replaced_on_the_next_request(postgresql_url, tmp_path):
    app = _app(postgresql_url, tmp_path / "keys")
    try:
        token, browser = _facilitator(app)
        api = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        assert api.get("/healthz").status_code == 200
        assert api.get("/api/v1/meetings/nope", headers=auth).status_code == 404
        assert browser.get("/facilitator/").status_code == 200

        assert api.get(f"/api/v1/verify/{UNKNOWN_CODE}").status_code == 200

        assert _terminate_app_connections(postgresql_url) >= 1
        # No request fails: the pool notices the dead connection before handing it out.
        assert api.get("/healthz").status_code == 200
        assert api.get(f"/api/v1/verify/{UNKNOWN_CODE}").get_json()["status"] == "not_found"
        created = api.post(
            "/api/v1/meetings",
            headers=auth,
            json={"name": "After failover", "program": "AA", "timezone": "Europe/London"},
        )
        assert created.status_code == 201, created.get_json()
        assert browser.get("/facilitator/").status_code == 200

        assert _terminate_app_connections(postgresql_url) >= 1
        page = browser.get("/facilitator/")
        assert page.status_code == 200 and "After failover" in page.get_data(as_text=True)
    finally:
        _empty(app)


class LoopbackProxy:
    """A TCP forwarder on 127.0.0.1 that can drop the database and bring it back.

    `down()` refuses new connections and cuts the open ones, like a server that went away;
    `up()` listens again on the same port.
    """

    def __init__(self, target: tuple[str, int]):
        self.target = target
        with closing(socket.socket()) as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener = listener
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = [t for t in self._threads if t.is_alive()]

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                pump = threading.Thread(target=self._pump, args=(source, sink), daemon=True)
                pump.start()
                self._threads.append(pump)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@needs_postgresql
def test_an_outage_gives_503s_and_the_return_needs_no_restart(postgresql_url, tmp_path):
    server = sa.make_url(postgresql_url)
    proxy = LoopbackProxy((server.host or "127.0.0.1", server.port or 5432))
    proxy.up()
    app = _app(_with_port(postgresql_url, proxy.port), tmp_path / "keys")
    try:
        token, browser = _facilitator(app)
        api = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        assert api.get("/healthz").status_code == 200
        assert browser.get("/facilitator/").status_code == 200

        proxy.down()
        assert api.get("/healthz").status_code == 503
        assert_json_503(api.get("/api/v1/meetings/nope", headers=auth))
        assert_page_503(browser.get("/facilitator/"))
        assert_page_503(api.get("/verify?code=ABCD-EFGH-JKMN-PQRS"))
        assert_json_503(api.get(f"/api/v1/verify/{UNKNOWN_CODE}"))

        proxy.up()
        deadline = time.monotonic() + 10
        while api.get("/healthz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert api.get("/healthz").status_code == 200
        assert api.get("/api/v1/meetings/nope", headers=auth).status_code == 404
        assert api.get(f"/api/v1/verify/{UNKNOWN_CODE}").get_json()["status"] == "not_found"
        assert browser.get("/facilitator/").status_code == 200
    finally:
        proxy.down()
        proxy.up()
        _empty(app)
        proxy.down()
