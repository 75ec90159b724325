"""Rebuild every derived creation row from the records, set-based: the tallies, the month
counts and the creating memberships, each one ``INSERT … SELECT`` (PostgreSQL and SQLite).
``manage.py rebuild_tallies`` runs it, and so do the generators after their bulk loads; at a
million collectives and thirty million entries it is three grouped scans of the log."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from qnwmh.collectives.models import Collective, Title, TitleStatus
from qnwmh.creation.models import (
    REQUIRED_KINDS,
    CreationBodyStamp,
    CreationMember,
    CreationMonth,
    CreationTally,
    EntryKind,
    LogEntry,
)
from qnwmh.cycles.models import COUNTED_STATUSES, Cycle, Registration


def _tables(models: dict[str, Any]) -> dict[str, str]:
    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


def _in(values: tuple[str, ...]) -> tuple[str, list[str]]:
    return ", ".join(["%s"] * len(values)), [str(v) for v in values]


def _month_sql() -> tuple[str, str]:
    """(first of the entry's month, JSON object of month key → weeks) in this database."""
    if connection.vendor == "postgresql":
        return (
            "date_trunc('month', occurred_on)::date",
            "jsonb_object_agg(to_char(month, 'YYYY-MM'), weeks)",
        )
    return (
        "date(occurred_on, 'start of month')",
        "json_group_object(strftime('%%Y-%%m', month), weeks)",
    )


def rebuild_all(cycle_id: int | None = None, *, models: dict[str, Any] | None = None) -> int:
    """Recompute the derived rows (of one cycle, if given); returns the number of tallies.
    ``models`` lets a data migration pass its historical models (same tables)."""
    m = models or {
        "entry": LogEntry,
        "tally": CreationTally,
        "month": CreationMonth,
        "member": CreationMember,
        "stamp": CreationBodyStamp,
        "collective": Collective,
        "title": Title,
        "registration": Registration,
        "cycle": Cycle,
    }
    t = _tables(m)
    only = " AND cycle_id = %s" if cycle_id is not None else ""
    cyc = [cycle_id] if cycle_id is not None else []
    month_of, month_json = _month_sql()
    required_in, required_args = _in(tuple(REQUIRED_KINDS))
    counted_in, counted_args = _in(COUNTED_STATUSES)
    bulk = cycle_id is None and connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The grouped scans of the log hash in memory rather than spill to disk.
            cur.execute("SET LOCAL work_mem = '512MB'")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        if bulk:
            # Pending checks of this transaction's earlier writes would forbid TRUNCATE.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # A full rebuild writes millions of rows: build their lookup indexes once, after.
        indexes = (
            _drop_indexes(cur, [m[n]._meta.db_table for n in ("member", "month")]) if bulk else []
        )
        for name in ("stamp", "member", "month", "tally"):
            if cycle_id is None and connection.vendor == "postgresql":
                # Millions of rows: a new empty file, not a dead version of each.
                cur.execute(f"TRUNCATE {t[name]}")
            else:
                cur.execute(f"DELETE FROM {t[name]} WHERE 1 = 1{only}", cyc)
        cur.execute(
            f"INSERT INTO {t['month']} (collective_id, cycle_id, month, weeks) "
            f"SELECT collective_id, cycle_id, {month_of}, COUNT(*) FROM {t['entry']} "
            f"WHERE evidence_count > 0 AND kind = %s{only} "
            f"GROUP BY collective_id, cycle_id, {month_of}",
            [str(EntryKind.OPEN_WEEK), *cyc],
        )
        # Every open week is of a required kind: the tallies' pairs hold all the months'.
        cur.execute(
            f"INSERT INTO {t['tally']} (collective_id, cycle_id, required, open_weeks) "
            f"SELECT r.collective_id, r.cycle_id, r.n, COALESCE(w.j, '{{}}') FROM "
            f"(SELECT collective_id, cycle_id, COUNT(*) AS n FROM {t['entry']} "
            f" WHERE evidence_count > 0 AND kind IN ({required_in}){only} "
            f" GROUP BY collective_id, cycle_id) r "
            f"LEFT JOIN (SELECT collective_id, cycle_id, {month_json} AS j FROM {t['month']} "
            f" WHERE 1 = 1{only} GROUP BY collective_id, cycle_id) w "
            f"ON w.collective_id = r.collective_id AND w.cycle_id = r.cycle_id",
            [*required_args, *cyc, *cyc],
        )
        tallies = cur.rowcount
        cycles = f"SELECT id FROM {t['cycle']}" + (" WHERE id = %s" if cycle_id is not None else "")
        cur.execute(
            f"INSERT INTO {t['member']} "
            f"(collective_id, cycle_id, body_id, sort_key, titled, registered, required) "
            f"SELECT c.id, p.cycle_id, c.body_id, c.sort_key, "
            f" EXISTS (SELECT 1 FROM {t['title']} ti WHERE ti.collective_id = c.id AND ti.status = %s), "
            f" EXISTS (SELECT 1 FROM {t['registration']} rg WHERE rg.collective_id = c.id "
            f"  AND rg.cycle_id = p.cycle_id AND rg.status IN ({counted_in})), "
            f" COALESCE(ta.required, 0) "
            f"FROM (SELECT ti.collective_id, y.id AS cycle_id FROM "
            f"  (SELECT DISTINCT collective_id FROM {t['title']} WHERE status = %s) ti "
            f"  CROSS JOIN ({cycles}) y "
            f" UNION SELECT collective_id, cycle_id FROM {t['registration']} "
            f"  WHERE status IN ({counted_in}){only}) p "
            f"JOIN {t['collective']} c ON c.id = p.collective_id "
            f"LEFT JOIN {t['tally']} ta ON ta.collective_id = p.collective_id "
            f" AND ta.cycle_id = p.cycle_id",
            [
                str(TitleStatus.ACTIVE),
                *counted_args,
                str(TitleStatus.ACTIVE),
                *cyc,
                *counted_args,
                *cyc,
            ],
        )
        stamp = (
            "md5(random()::text)"
            if connection.vendor == "postgresql"
            else "lower(hex(randomblob(16)))"
        )
        cur.execute(
            f"INSERT INTO {t['stamp']} (cycle_id, body_id, stamp) "
            f"SELECT cycle_id, body_id, {stamp} FROM "
            f"(SELECT DISTINCT cycle_id, body_id FROM {t['member']} WHERE 1 = 1{only}) b",
            cyc,
        )
        for definition in indexes:
            cur.execute(definition)
    return tallies


def _drop_indexes(cur: Any, tables: list[str]) -> list[str]:
    """Drop the tables' indexes that back no constraint; return their definitions."""
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)",
        [tables],
    )
    found = list(cur.fetchall())
    for name, _definition in found:
        cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]
