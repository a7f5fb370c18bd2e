"""Threads that each open their own database connection against committed data (transactional_db).

On SQLite the tests' database is in memory, shared between connections through SQLite's shared cache, whose table
locks fail at once ("database table is locked": no busy timeout applies) where a database file waits for its lock;
`database_file` therefore turns the default database into a file copy of it until the test ends, as a deployment
has. PostgreSQL: nothing to do."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, connections


@pytest.fixture
def database_file(transactional_db, tmp_path):
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "race.sqlite3"
    copy = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    in_memory, in_memory_settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**in_memory_settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings["default"] = in_memory_settings
