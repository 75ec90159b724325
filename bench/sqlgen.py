"""Helpers the bench generators share to write rows inside PostgreSQL (``INSERT … SELECT``).

Randomness is a seeded hash of ids (``hashint8extended``), so a run is deterministic per seed
without a round trip per row. Public codes are a bijection of an id into the app's alphabet
(``qnwmh.core.codes.ALPHABET``, 10 characters as ``new_code`` makes them): unique by
construction, in the app's format, and the same for the same id and salt.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qnwmh.core.codes import ALPHABET

BASE = len(ALPHABET)
SPACE = BASE**10
# Coprime with 31, and small enough that id × MULT stays inside a bigint for ids below 10^8.
MULT = 48_271_000_013
assert MULT % BASE and MULT * 10**8 < 2**63

CODE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION bench_code(x bigint) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT "
    + " || ".join(
        f"substr('{ALPHABET}', (($1 / {BASE**i}) % {BASE})::int + 1, 1)" for i in range(10)
    )
    + " $$"
)


def offset(salt: int) -> int:
    """Per table (and seed) offset, so two tables' codes for the same id differ."""
    return (salt * 2_654_435_761 + 97) % SPACE


def code_sql(id_expr: str, salt: int) -> str:
    """SQL for the code of ``id_expr`` (an integer expression below 10^8)."""
    return f"bench_code((({id_expr})::bigint * {MULT} + {offset(salt)}) % {SPACE})"


def code_py(n: int, salt: int) -> str:
    """The same code computed in Python (rows written by COPY)."""
    x = (n * MULT + offset(salt)) % SPACE
    chars = []
    for _ in range(10):
        x, d = divmod(x, BASE)
        chars.append(ALPHABET[d])
    return "".join(chars)


class Hasher:
    """``h(expr, salt, m)``: a deterministic pseudo-random integer in [0, m) from an integer
    expression, seeded per run."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __call__(self, expr: str, salt: int, m: int) -> str:
        return (
            f"((hashint8extended(({expr})::bigint, {self.seed * 1000 + salt})"
            f" & 9223372036854775807) % {m})"
        )


def pick(h: str, items: list[str]) -> str:
    """SQL choosing one of ``items`` (SQL literals) by a hash expression in [0, len)."""
    return f"(ARRAY[{', '.join(items)}])[1 + {h}]"


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a local process has used; 0 if it cannot be read (the
    database on another host)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stats:
    """Time, CPU and rows per step, printed as they go and summarised at the end
    (RESULTS.md). CPU is this process's plus its database backend's: the steps run one after
    the other, so on an idle machine a step takes about its CPU time (plus I/O), whatever
    the load was when it was measured."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, float, float]] = []
        self.started = time.monotonic()
        self.backend = 0

    def cpu(self) -> float:
        return time.process_time() + (process_cpu(self.backend) if self.backend else 0.0)

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        out: dict[str, Any] = {"rows": 0}
        t, c = time.monotonic(), self.cpu()
        yield out
        took, cpu = time.monotonic() - t, self.cpu() - c
        self.rows.append((name, out["rows"], took, cpu))
        rate = f"{out['rows'] / took:>10,.0f} rows/s" if out["rows"] and took else ""
        print(
            f"{name:<34} {out['rows']:>12,} rows {took:>8.1f} s (cpu {cpu:>7.1f} s) {rate}"
            f"   [{time.monotonic() - self.started:,.0f} s, load {load()}]",
            flush=True,
        )

    def table(self) -> str:
        lines = [
            "| step | rows | seconds | CPU s | rows/s |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, rows, took, cpu in self.rows:
            rate = f"{rows / took:,.0f}" if rows and took else ""
            lines.append(f"| {name} | {rows:,} | {took:,.1f} | {cpu:,.1f} | {rate} |")
        total_cpu = sum(r[3] for r in self.rows)
        lines.append(
            f"| **total** | | **{time.monotonic() - self.started:,.1f}** | **{total_cpu:,.1f}** | |"
        )
        return "\n".join(lines)


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def secondary_indexes(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes that back no constraint (plain and partial
    unique indexes included)."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.tablename = %s AND NOT EXISTS (
               SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""",
        [table],
    )
    return list(cursor.fetchall())


def unique_constraints(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's UNIQUE constraints (not the primary key)."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'u'""",
        [table],
    )
    return list(cursor.fetchall())


@contextmanager
def bulk_load(cursor: Any, table: str, stats: Stats) -> Iterator[None]:
    """Drop the table's secondary indexes and unique constraints while rows go in, build them
    again after (a sorted build is far cheaper than 30 M random index inserts)."""
    indexes = secondary_indexes(cursor, table)
    uniques = unique_constraints(cursor, table)
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    for name, _ in uniques:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    with stats.step(f"{table}: {len(indexes) + len(uniques)} indexes"):
        for name, definition in uniques:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            cursor.execute(definition)
