"""A fixed SELECT run straight on a pooled DBAPI cursor, for the hottest read of the service.

Verifying a slip reads one row by its indexed code. Through `Connection.execute` SQLAlchemy
spends several times the database's own time on the execution context, the transaction object
and the result wrapper; under load it was a fifth of a verify answer's cost. Here the statement
is compiled once per dialect and only the pool stays in the way (checkout, with its pre-ping on
server databases, and the rollback on return). What `Connection` would have done, this does by
hand: driver errors come out as SQLAlchemy's (so a lost database is a 503 like everywhere else),
a dropped connection is invalidated instead of going back to the pool, and values pass through
each column type's result processor, exactly as `Connection.execute` returns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class _Compiled:
    sql: str
    fixed: dict[str, Any]  # values the statement itself binds (literals in its clauses)
    positional: tuple[str, ...] | None  # parameter order for qmark/format drivers
    processors: tuple[Any, ...]  # per column: None or value -> Python value

    def parameters(self, values: dict[str, Any]) -> tuple | dict:
        values = {**self.fixed, **values}
        if self.positional is None:
            return values
        return tuple(values[name] for name in self.positional)

    def row(self, raw: tuple) -> tuple:
        return tuple(
            value if process is None or value is None else process(value)
            for value, process in zip(raw, self.processors, strict=True)
        )


class DriverSelect:
    """A SELECT whose bound parameters are plain values needing no conversion (strings, ints)."""

    def __init__(self, statement: sa.Select):
        self._statement = statement
        self._by_dialect: dict[tuple[str, str], _Compiled] = {}

    def first(self, engine: Engine, **values: Any) -> tuple | None:
        """Return the first row as a tuple of Python values, or None."""
        compiled = self._compiled(engine.dialect)
        parameters = compiled.parameters(values)
        try:
            connection = engine.raw_connection()
        except engine.dialect.loaded_dbapi.Error as error:
            raise _wrapped(error, compiled.sql, parameters, engine.dialect) from error
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(compiled.sql, parameters)
                raw = cursor.fetchone()
            finally:
                cursor.close()
        except engine.dialect.loaded_dbapi.Error as error:
            lost = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
            if lost:
                connection.invalidate(error)
            raise _wrapped(error, compiled.sql, parameters, engine.dialect, lost) from error
        finally:
            connection.close()
        return None if raw is None else compiled.row(raw)

    def _compiled(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        if key not in self._by_dialect:
            compiled = self._statement.compile(dialect=dialect)
            self._by_dialect[key] = _Compiled(
                sql=compiled.string,
                fixed={
                    name: bind.effective_value
                    for name, bind in compiled.binds.items()
                    if not bind.required
                },
                positional=tuple(compiled.positiontup) if compiled.positional else None,
                processors=tuple(
                    column.type.dialect_impl(dialect).result_processor(dialect, None)
                    for column in self._statement.selected_columns
                ),
            )
        return self._by_dialect[key]


def _wrapped(
    error: Exception, sql: str, parameters: Any, dialect: Dialect, lost: bool = False
) -> DBAPIError:
    return DBAPIError.instance(
        sql,
        parameters,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=lost,
        dialect=dialect,
    )
