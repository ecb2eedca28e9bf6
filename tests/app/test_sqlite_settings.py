"""Connections to an SQLite file map it for reading; other databases are left as they are."""

import sqlalchemy as sa

from compliance import sqlite_settings


def mmap_size(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA mmap_size").scalar()


def test_every_connection_to_a_sqlite_file_maps_it(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    sqlite_settings.configure(engine)
    sqlite_settings.configure(engine)  # idempotent: one listener
    assert mmap_size(engine) == sqlite_settings.MMAP_BYTES
    raw = engine.raw_connection()  # what the verify reads use
    try:
        assert raw.dbapi_connection.execute("PRAGMA mmap_size").fetchone()[0] > 0
    finally:
        raw.close()


def test_an_in_memory_database_and_a_server_are_left_alone():
    memory = sa.create_engine("sqlite://")
    sqlite_settings.configure(memory)
    assert not sa.event.contains(memory, "connect", sqlite_settings._on_connect)
    server = sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    sqlite_settings.configure(server)
    assert not sa.event.contains(server, "connect", sqlite_settings._on_connect)


def test_the_app_configures_its_engine(app):
    from compliance.extensions import db

    with app.app_context():
        expected = db.engine.dialect.name == "sqlite"
        assert sa.event.contains(db.engine, "connect", sqlite_settings._on_connect) == expected
