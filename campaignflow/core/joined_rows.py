"""A hot lookup written once as SQL text: one row read into a model instance and the related instances
`select_related` would have joined, with the database's converters applied as the ORM applies them.

For the few queries that run on every request (the Bearer token with its user; the campaign with the caller's
role, behind every campaign endpoint): compiling the ORM query cost ~1.2 ms of CPU on each request, several times what running it costs
(docs/performance.md, "PostgreSQL's API reads against SQLite's"). The SQL is built from the models' own
metadata, so a new column is read without touching the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models


@dataclass(frozen=True)
class Part:
    """A model read from the row under the SQL alias `alias`; `path`: where it is set on the first part
    ("owner", "playbook_version.playbook"), empty for the first part itself."""

    model: type[models.Model]
    alias: str
    path: str = ""

    @property
    def fields(self) -> list[models.Field]:
        return list(self.model._meta.concrete_fields)

    def columns(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)


def select_list(parts: list[Part], *extra: str) -> str:
    """The SELECT list: every concrete column of each part, in order, then the `extra` expressions."""
    return ", ".join([p.columns() for p in parts] + list(extra))


@dataclass(frozen=True)
class _Plan:
    """What reading a row of `parts` needs, worked out once per connection vendor: per column the ORM's
    converters (or None), and per part its attribute names and where its primary key stands among them."""

    converters: list
    layout: list[tuple[Part, list[str], int]]


def _plan(parts: list[Part]) -> _Plan:
    compiler = connection.ops.compiler("SQLCompiler")(None, connection, connection.alias)
    cols = [f.get_col(p.alias) for p in parts for f in p.fields]
    found = compiler.get_converters(cols)  # {position: (converters, expression)}
    layout = []
    for part in parts:
        names = [f.attname for f in part.fields]
        layout.append((part, names, names.index(part.model._meta.pk.attname)))
    return _Plan([found.get(i) for i in range(len(cols))], layout)


_PLANS: dict[tuple, _Plan] = {}


def fetch_row(sql: str, params) -> tuple | None:
    """The query's first row as the database gave it (`instances_from` reads it), or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def read_row(sql: str, params, parts: list[Part]):
    """(the first part's instance with the others attached, the values of the extra columns), or None
    when the query finds no row."""
    row = fetch_row(sql, params)
    return None if row is None else instances_from(row, parts)


def instances_from(row: tuple, parts: list[Part]):
    """`read_row`'s answer made from a row `fetch_row` gave (new instances each time)."""
    key = (connection.vendor, tuple(parts))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _plan(parts)
    values = list(row)
    for i, found in enumerate(plan.converters):
        if found is not None:
            funcs, expression = found
            for convert in funcs:
                values[i] = convert(values[i], expression, connection)
    instances, pos = {}, 0
    for part, names, pk_at in plan.layout:
        chunk = values[pos : pos + len(names)]
        pos += len(names)
        instances[part.path] = None if chunk[pk_at] is None else part.model.from_db(connection.alias, names, chunk)
    first = instances.pop("")
    for path, instance in instances.items():  # parents before children: "a" before "a.b"
        *parent, name = path.split(".")
        owner = instances[".".join(parent)] if parent else first
        if owner is not None:
            owner._meta.get_field(name).set_cached_value(owner, instance)
    return first, values[pos:]
