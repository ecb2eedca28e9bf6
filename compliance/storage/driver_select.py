"""A fixed SELECT run straight on a DBAPI cursor, for the hottest read of the service.

Verifying a slip reads one row by its indexed code. Through `Connection.execute` SQLAlchemy
spent several times the database's own time on the execution context, the transaction object
and the result wrapper, and checking a connection out of the pool and back in cost as much
again (on PostgreSQL: a ping, the query and a rollback, three round trips). So each thread
keeps one connection for these reads: taken from the pool once (pinged then), detached from it,
and in autocommit, so it holds no transaction and no lock between reads and sees every commit.
The statement is compiled once per dialect. What `Connection` would have done, this does by
hand: driver errors come out as SQLAlchemy's (so a lost database is a 503 like everywhere
else); a connection that fails is closed and, when the server dropped it (a restart, a
failover), the read is tried once more on a fresh one; values pass through each column type's
result processor, exactly as `Connection.execute` returns them.
"""

from __future__ import annotations

import os
import threading
import weakref
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection


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
        raw = _read_first(engine, compiled.sql, compiled.parameters(values), retry_if_lost=True)
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


def _read_first(engine: Engine, sql: str, parameters: Any, retry_if_lost: bool) -> tuple | None:
    dbapi_error = engine.dialect.loaded_dbapi.Error
    try:
        connection = _read_connection(engine)
    except dbapi_error as error:
        raise _wrapped(error, sql, parameters, engine.dialect) from error
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, parameters)
            return cursor.fetchone()
        finally:
            cursor.close()  # on SQLite this also ends the statement and its read lock
    except dbapi_error as error:
        lost = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
        _drop_read_connection(engine)
        if lost and retry_if_lost:  # the server dropped it since the last read: once more, anew
            return _read_first(engine, sql, parameters, retry_if_lost=False)
        raise _wrapped(error, sql, parameters, engine.dialect, lost) from error


class _ReadConnections(threading.local):
    """This thread's read connection for each engine (weakly: a dropped engine drops it)."""

    def __init__(self):
        self.by_engine: weakref.WeakKeyDictionary[Engine, PoolProxiedConnection] = (
            weakref.WeakKeyDictionary()
        )


_read_connections = _ReadConnections()
_inherited: list[_ReadConnections] = []


def _forget_inherited_connections() -> None:
    """In a forked child, start afresh; what the parent held stays open and unused here (closing
    it would end the parent's session on a server database)."""
    global _read_connections
    _inherited.append(_read_connections)
    _read_connections = _ReadConnections()


os.register_at_fork(after_in_child=_forget_inherited_connections)


def _read_connection(engine: Engine) -> PoolProxiedConnection:
    connection = _read_connections.by_engine.get(engine)
    if connection is None:
        connection = engine.raw_connection()  # a checkout: pinged first on server databases
        connection.detach()  # ours alone now: the pool neither counts nor resets it
        if engine.dialect.name == "postgresql":
            connection.dbapi_connection.autocommit = True
        # SQLite's driver starts transactions only for writes: its reads are autocommit already.
        _read_connections.by_engine[engine] = connection
    return connection


def _drop_read_connection(engine: Engine) -> None:
    connection = _read_connections.by_engine.pop(engine, None)
    if connection is not None:
        with suppress(Exception):  # it may be broken already; closing is all we want of it
            connection.close()
