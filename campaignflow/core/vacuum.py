"""VACUUM (ANALYZE) after a bulk load, on PostgreSQL.

Freshly written pages are not yet marked all-visible, so index-only reads visit the heap for every
row, and the planner's statistics still describe the table before the load. Autovacuum gets there
only after inserts of 20 % of a table, which one campaign's load into a large table never reaches.
"""

from __future__ import annotations

from django.db import connection


def vacuum_analyze(*models) -> bool:
    """VACUUM (ANALYZE) the models' tables; True if it ran. PostgreSQL only, and outside a transaction
    (VACUUM cannot run in one); elsewhere a no-op."""
    if connection.vendor != "postgresql" or connection.in_atomic_block or not models:
        return False
    tables = ", ".join(m._meta.db_table for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    return True
