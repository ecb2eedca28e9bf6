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
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError


def insert_rows(connection: Connection, table: sa.Table, rows: Sequence[dict]) -> None:
    """Insert `rows` (dicts keyed by column name, all with the same keys) into `table`."""
    if not rows:
        return
    names = list(rows[0])
    pick = _picker(names)
    insert_tuples(connection, table, names, [pick(row) for row in rows])


def insert_tuples(
    connection: Connection, table: sa.Table, names: Sequence[str], rows: Sequence[Sequence]
) -> None:
    """Insert `rows`, each a sequence of values for the columns `names` in that order, into
    `table`: for tens of thousands of rows, cheaper to build than dicts. Columns not named get the
    database's default (NULL): Python-side column defaults are not applied, as with insert_rows."""
    if not rows:
        return
    dialect = connection.dialect
    columns = [table.c[name] for name in names]
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy(connection, table, columns, _bound_rows(dialect, columns, rows))
    elif dialect.name == "sqlite":
        statement = sa.insert(table).compile(dialect=dialect, column_keys=list(names))
        in_order = _picker([list(names).index(key) for key in statement.positiontup])
        bound = _bound_rows(dialect, columns, rows)
        connection.exec_driver_sql(statement.string, [in_order(row) for row in bound])
    else:
        connection.execute(sa.insert(table), [dict(zip(names, row, strict=True)) for row in rows])


def _bound_rows(dialect: Dialect, columns: list[sa.Column], rows: Sequence[Sequence]) -> list:
    """Return the rows as the driver takes them, each column's bind processing applied."""
    binds = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    if all(bind is None for bind in binds):
        return list(rows)
    # Column by column: most columns (strings, ids) go to the driver as they are.
    values_by_column = [
        values if bind is None else list(map(_memoized(bind), values))
        for bind, values in zip(binds, zip(*rows, strict=True), strict=True)
    ]
    return list(zip(*values_by_column, strict=True))


def _picker(keys: Sequence) -> Callable[[Any], tuple]:
    """Return a function taking the values at `keys` out of a row, as a tuple."""
    if len(keys) == 1:
        only = keys[0]
        return lambda row: (row[only],)
    return itemgetter(*keys)


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


def _copy(
    connection: Connection, table: sa.Table, columns: list[sa.Column], rows: Sequence[Sequence]
):
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
