"""DriverSelect gives what Connection.execute gives, and fails the way SQLAlchemy does."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, OperationalError

from compliance.extensions import db
from compliance.services.driver_select import DriverSelect
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


@pytest.mark.skipif(
    not os.environ.get("COMPLIANCE_TEST_DATABASE_URL"),
    reason="COMPLIANCE_TEST_DATABASE_URL is not set",
)
def test_a_connection_killed_under_the_pool_is_invalidated_not_reused():
    with private_postgresql_database(os.environ["COMPLIANCE_TEST_DATABASE_URL"]) as url:
        # No pre-ping and one pooled connection: the dead one is met by the query itself.
        engine = sa.create_engine(url, pool_size=1, max_overflow=0)
        try:
            probe = DriverSelect(sa.select(sa.literal_column("42")))
            assert probe.first(engine) == (42,)
            assert _terminate_app_connections(url) == 1
            with pytest.raises(DBAPIError) as raised:
                probe.first(engine)
            assert raised.value.connection_invalidated
            assert probe.first(engine) == (42,)  # a fresh connection, not the dead one
        finally:
            engine.dispose()
