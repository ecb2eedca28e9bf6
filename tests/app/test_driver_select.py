"""DriverSelect gives what Connection.execute gives, and fails the way SQLAlchemy does."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from compliance.extensions import db
from compliance.storage import driver_select
from compliance.storage.driver_select import DriverSelect
from tests.app.journey import signed_session
from tests.app.test_database_down import _terminate_app_connections
from tests.app.test_verify import revoke
from tests.conftest import private_postgresql_database


def _records_query():
    from compliance.models import AttendanceRecord

    table = AttendanceRecord.__table__
    return sa.select(table.c.token, table.c.revoked_at, table.c.revoked_reason).where(
        table.c.code == sa.bindparam("code")
    )


def test_rows_are_the_values_connection_execute_returns(app, facilitator):
    _, (record,) = signed_session(facilitator)
    revoke(facilitator, record["id"], reason="Entered by mistake")
    code = record["code"].replace("-", "")
    with app.app_context():
        with db.engine.connect() as connection:
            expected = tuple(connection.execute(_records_query(), {"code": code}).one())
        got = DriverSelect(_records_query()).first(db.engine, code=code)
        assert DriverSelect(_records_query()).first(db.engine, code="NOPE") is None
    assert got == expected
    assert isinstance(got[1], datetime) and got[1].tzinfo is UTC  # the column type's processing
    assert got[2] == "Entered by mistake"


def test_several_parameters_keep_their_order(app):
    query = sa.select(sa.literal_column("1")).where(
        sa.and_(
            sa.bindparam("b", type_=sa.String) == "second",
            sa.bindparam("a", type_=sa.String) == "first",
        )
    )
    with app.app_context():
        assert DriverSelect(query).first(db.engine, a="first", b="second") == (1,)
        assert DriverSelect(query).first(db.engine, a="second", b="first") is None


def test_a_database_that_cannot_be_reached_raises_sqlalchemys_error(tmp_path):
    engine = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    with pytest.raises(OperationalError) as raised:
        DriverSelect(_records_query()).first(engine, code="ABCD")
    assert "ABCD" not in str(raised.value)  # parameters stay out of logs and pages
    engine.dispose()


def test_a_broken_statement_raises_sqlalchemys_error_and_the_pool_survives(app):
    missing = sa.select(sa.column("x")).select_from(sa.table("no_such_table"))
    with app.app_context():
        with pytest.raises(DBAPIError) as raised:
            DriverSelect(missing).first(db.engine)
        assert not raised.value.connection_invalidated
        assert DriverSelect(_records_query()).first(db.engine, code="NOPE") is None


needs_postgresql = pytest.mark.skipif(
    not os.environ.get("COMPLIANCE_TEST_DATABASE_URL"),
    reason="COMPLIANCE_TEST_DATABASE_URL is not set",
)


@needs_postgresql
def test_a_read_connection_the_server_dropped_is_replaced_within_the_same_read():
    with private_postgresql_database(os.environ["COMPLIANCE_TEST_DATABASE_URL"]) as url:
        engine = sa.create_engine(url, pool_size=1, max_overflow=0)  # no pre-ping
        try:
            probe = DriverSelect(sa.select(sa.literal_column("42")))
            assert probe.first(engine) == (42,)
            assert _terminate_app_connections(url) == 1  # a restart or failover, say
            assert probe.first(engine) == (42,)  # no error reaches the caller
            assert _terminate_app_connections(url) == 1  # it read on a new connection
        finally:
            engine.dispose()


@needs_postgresql
def test_the_read_connection_holds_no_transaction_between_reads():
    with private_postgresql_database(os.environ["COMPLIANCE_TEST_DATABASE_URL"]) as url:
        engine = sa.create_engine(url)
        try:
            assert DriverSelect(sa.select(sa.literal_column("1"))).first(engine) == (1,)
            with engine.connect() as observer:
                states = observer.scalars(
                    sa.text(
                        "SELECT state FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            assert states == ["idle"]  # not "idle in transaction": it locks nothing
        finally:
            engine.dispose()


def test_reads_see_every_commit_and_block_no_writer(app, facilitator):
    _, (record,) = signed_session(facilitator)
    code = record["code"].replace("-", "")
    lookup = DriverSelect(_records_query())
    with app.app_context():
        assert lookup.first(db.engine, code=code)[1] is None  # the connection is now held
    revoke(facilitator, record["id"], reason="Entered by mistake")  # a write after that read
    with app.app_context():
        assert lookup.first(db.engine, code=code)[2] == "Entered by mistake"


def test_a_forked_child_reads_on_its_own_connection_and_leaves_the_parents_alone(app):
    query = DriverSelect(sa.select(sa.literal_column("7")))
    with app.app_context():
        assert query.first(db.engine) == (7,)
        child = os.fork()
        if child == 0:  # the child: exit code 0 only if its read works on a new connection
            try:
                held = driver_select._read_connections.by_engine.get(db.engine)
                ok = held is None and query.first(db.engine) == (7,)
            finally:
                os._exit(0 if ok else 1)
        _, status = os.waitpid(child, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert query.first(db.engine) == (7,)  # the parent's connection still works
