"""One new row written with one INSERT whose statement is built once per model and database, for the rows a
burst writes one at a time (a public registration, a visit of the public page): `objects.create()` compiles
the same statement again for every row, which was the largest part of a registration's CPU after the framework
(docs/performance.md, "Event registration").

The values are prepared by the model's own fields as the ORM prepares them (`pre_save`: auto_now_add times;
`get_db_prep_save`: time zones, JSON), so the row reads back as `create()` would have written it. No
pre_save/post_save signals are sent: use it only for models that have no receivers."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

_STATEMENTS: dict[tuple[type, str], tuple[str, list]] = {}  # (model, database vendor) → (SQL, fields)


def _statement(model: type[Model], db) -> tuple[str, list]:
    key = (model, db.vendor)
    if key not in _STATEMENTS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        qn = db.ops.quote_name
        returning = f" RETURNING {qn(model._meta.pk.column)}" if db.features.can_return_columns_from_insert else ""
        _STATEMENTS[key] = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}){returning}",
            fields,
        )
    return _STATEMENTS[key]


def insert_one(obj: Model) -> Model:
    """Write the new (unsaved) `obj` with an auto id to the default database and set its id; returns it."""
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each use of `connection` looks it up again
    sql, fields = _statement(type(obj), db)
    params = [f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        if db.features.can_return_columns_from_insert:
            obj.pk = cursor.fetchone()[0]
        else:
            obj.pk = db.ops.last_insert_id(cursor, obj._meta.db_table, obj._meta.pk.column)
    obj._state.adding, obj._state.db = False, db.alias
    return obj
