"""Settings every connection to an SQLite database file gets."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

# Reads come straight from the page cache through a mapping instead of a read() and a copy per
# page: a verify reads a handful of scattered pages of a large file, and under load the copies
# were a tenth of its cost. 256 MiB of address space; SQLite maps no more than the file's size.
MMAP_BYTES = 256 * 1024 * 1024


def _is_sqlite_file(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def configure(engine: Engine) -> None:
    """Have each new connection to an SQLite file map the file for reading."""
    if not _is_sqlite_file(engine) or sa.event.contains(engine, "connect", _on_connect):
        return
    sa.event.listen(engine, "connect", _on_connect)


def _on_connect(dbapi_connection, _connection_record) -> None:
    dbapi_connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
