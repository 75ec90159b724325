"""Set-based writes for the import's large batches, where the ORM's per-row cost dominates:
on PostgreSQL new rows go in by COPY and cached counts by one UPDATE … FROM (VALUES …) per
chunk; other databases keep ``bulk_create`` / ``bulk_update``. Both run inside the caller's
transaction, so an import stays all-or-nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

CHUNK = 2000


# Field types whose Python value COPY takes as it is (psycopg adapts str, int, bool, date).
_PLAIN = frozenset(
    {
        "CharField",
        "TextField",
        "BooleanField",
        "DateField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "ForeignKey",
    }
)


def insert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, with_ids: bool = False
) -> list[int]:
    """Insert ``rows`` (dicts by field attname). Fields left out take their default, worked
    out once for the batch, except unique ones (a code per row); ``auto_now`` fields take
    now. With ``with_ids``, the new ids in the order of ``rows`` (else an empty list)."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    per_row = [f for f in fields if f.unique and f.has_default()]
    if connection.vendor != "postgresql":
        objs = [
            model(**{**defaults, **{f.attname: f.get_default() for f in per_row}, **row})
            for row in rows
        ]
        model._default_manager.bulk_create(objs, batch_size=1000)
        return [o.pk for o in objs] if with_ids else []
    quote = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    ids: list[int] = []
    with connection.cursor() as cursor:
        if with_ids:
            # Ids drawn from the table's own sequence, so COPY can write them.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        columns = [quote(str(f.column)) for f in ([pk] if with_ids else []) + fields]
        plain = [f.get_internal_type() in _PLAIN for f in fields]
        with cursor.cursor.copy(
            f"COPY {quote(meta.db_table)} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for n, row in enumerate(rows):
                values: list[Any] = [ids[n]] if with_ids else []
                for f, as_is in zip(fields, plain, strict=True):
                    if f.attname in row:
                        value = row[f.attname]
                    elif f in per_row:
                        value = f.get_default()
                    else:
                        value = defaults[f.attname]
                    values.append(
                        value if as_is or value is None else f.get_db_prep_save(value, connection)
                    )
                copy.write_row(values)
    return ids


def update_columns(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Set ``names`` per row: each row is ``(pk, value, …)`` in the order of ``names``."""
    if connection.vendor != "postgresql":
        objs = [model(pk=row[0], **dict(zip(names, row[1:], strict=True))) for row in rows]
        model._default_manager.bulk_update(objs, list(names), batch_size=500)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f.name in names]
    fields.sort(key=lambda f: list(names).index(f.name))
    table = quote(meta.db_table)
    assert meta.pk is not None
    pk = quote(str(meta.pk.column))
    aliases = ", ".join(["id", *(f"c{i}" for i in range(len(fields)))])
    sets = ", ".join(
        f"{quote(str(f.column))} = v.c{i}::{f.db_type(connection)}" for i, f in enumerate(fields)
    )
    width = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([width] * len(chunk))}) "
                f"AS v({aliases}) WHERE {table}.{pk} = v.id::bigint",
                [value for row in chunk for value in row],
            )
