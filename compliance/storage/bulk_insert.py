"""Insert many rows at once, in the caller's transaction: COPY on PostgreSQL, executemany on SQLite.

A 50,000-row participant report is 55,000 rows. Through `Connection.execute(insert(table),
rows)` two thirds of an import went to SQLAlchemy binding each value on its own (150,000
datetimes) and, on psycopg, rendering batched multi-row INSERTs. Here each column's bind
processor runs once per distinct value (a report's times repeat: a two-hour meeting has at most
7,200 distinct seconds), and the rows go to the driver in one stream: COPY on PostgreSQL, one
executemany of a prepared INSERT on SQLite. Driver errors come out as SQLAlchemy's, so the
caller's rollback and the error handlers see what they always see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError


def insert_rows(connection: Connection, table: sa.Table, rows: Sequence[dict]) -> None:
    """Insert `rows` (dicts keyed by column name, all with the same keys) into `table`."""
    if not rows:
        return
    dialect = connection.dialect
    columns = [table.c[name] for name in rows[0]]
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy(connection, table, columns, _bound_rows(dialect, columns, rows))
    elif dialect.name == "sqlite":
        statement = sa.insert(table).compile(dialect=dialect, column_keys=[c.key for c in columns])
        in_order = [table.c[key] for key in statement.positiontup]
        connection.exec_driver_sql(
            statement.string, [tuple(row) for row in _bound_rows(dialect, in_order, rows)]
        )
    else:
        connection.execute(sa.insert(table), list(rows))


def _bound_rows(dialect: Dialect, columns: list[sa.Column], rows: Sequence[dict]) -> list[list]:
    """Return the rows as the driver takes them, each column's bind processing applied."""
    names = [column.name for column in columns]
    processed = [
        (position, _memoized(process))
        for position, column in enumerate(columns)
        if (process := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    bound = [[row[name] for name in names] for row in rows]
    for position, bind in processed:  # most columns (strings, ids) go to the driver as they are
        for values in bound:
            values[position] = bind(values[position])
    return bound


def _memoized(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def bind(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = bound = process(value)
            return bound
        except TypeError:  # unhashable, e.g. a JSON column's dict
            return process(value)

    return bind


def _copy(connection: Connection, table: sa.Table, columns: list[sa.Column], rows: list[list]):
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    statement = "COPY {} ({}) FROM STDIN".format(
        quote.format_table(table), ", ".join(quote.quote(column.name) for column in columns)
    )
    try:
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(
            statement, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error
