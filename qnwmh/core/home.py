"""The home page says what needs doing. Each app may contribute in its own ``home.py`` by
defining ``tasks(actor)``; the core collects them in lifecycle order (``INSTALLED_APPS``,
through ``qnwmh.core.plugins``).

``tasks(actor)`` returns ``Task``s (a list), or is a generator that yields them and, where it
needs a number, yields a ``Tally`` instead and is sent the answer::

    def tasks(actor: Actor) -> Tasks:
        if not actor.is_city_admin:
            return
        n = yield Tally.count(Pair.objects.filter(status=Status.PROPOSED))
        if n:
            yield Task(_("新老结对待确认"), count=n, tone="warn")

A generator may also yield a tuple of ``Tally``s and is sent a tuple of their answers. The
core runs every app's generator up to its first ``Tally``, asks all of them in one
statement (``SELECT (SELECT COUNT(*) …), (SELECT SUM(…) …), …``), sends each its
answer and goes on; a generator that asks again after an answer is asked in the next
statement. So the home costs one round trip for its numbers however many apps count, and each
app still decides alone whether a task shows, its tone and who sees it. Reads that are not
numbers (the current cycle, a list of collectives) stay ordinary queries in the app.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Value
from django.db.models.functions import JSONArray
from django.utils.functional import Promise

from qnwmh.core.plugins import contributions

if TYPE_CHECKING:
    from django.db.models import Expression, QuerySet

    from qnwmh.core.actor import Actor


@dataclass(frozen=True)
class Task:
    title: str | Promise
    detail: str | Promise = ""
    url: str = ""
    count: int | None = None
    tone: str = "info"  # info | warn | ok


@dataclass(frozen=True)
class Tally:
    """A number a ``tasks`` generator asks for; build it with ``count``, ``exists`` or
    ``aggregate``. The generator is sent an ``int``, a ``bool`` or a ``dict`` of the named
    aggregates (as ``QuerySet.aggregate`` answers)."""

    kind: str  # count | exists | aggregate
    qs: QuerySet[Any]
    exprs: dict[str, Expression] = field(default_factory=dict)

    @classmethod
    def count(cls, qs: QuerySet[Any]) -> Tally:
        """``qs.count()``."""
        return cls("count", qs)

    @classmethod
    def exists(cls, qs: QuerySet[Any]) -> Tally:
        """``qs.exists()``."""
        return cls("exists", qs)

    @classmethod
    def aggregate(cls, qs: QuerySet[Any], **exprs: Expression) -> Tally:
        """``qs.aggregate(**exprs)``, for a queryset without slicing, ``distinct`` or
        annotations of its own (count those with ``count``)."""
        q = qs.query
        if q.is_sliced or q.distinct or q.annotations:
            raise ValueError("Tally.aggregate needs a plain queryset")
        return cls("aggregate", qs, exprs)

    def _sql(self) -> tuple[str, tuple[Any, ...], list[Any]]:
        """A scalar SQL expression answering the tally (one JSON array for an aggregate of
        several values), its parameters and the fields that read its values; raises
        ``EmptyResultSet`` when the queryset can match nothing."""
        qs = self.qs.order_by()
        if self.kind == "aggregate":
            exprs = list(self.exprs.values())
            value = exprs[0] if len(exprs) == 1 else JSONArray(*exprs)
            # A constant in values() groups by nothing: a plain aggregate, always one row.
            agg = qs.values(_one=Value(1)).annotate(_tally=value).values("_tally")
            sql, params = agg.query.get_compiler(using=qs.db).as_sql()
            resolved = agg.query.annotations["_tally"]
            parts = resolved.source_expressions if len(exprs) > 1 else [resolved]
            return f"({sql})", params, [e.output_field for e in parts]
        inner, params = qs.values("pk").query.get_compiler(using=qs.db).as_sql()
        if self.kind == "count":
            return f"(SELECT COUNT(*) FROM ({inner}) _tally)", params, []
        return f"EXISTS({inner})", params, []

    def _empty(self) -> Any:
        if self.kind == "count":
            return 0
        if self.kind == "exists":
            return False
        return {k: getattr(v, "empty_result_set_value", None) for k, v in self.exprs.items()}

    def _read(self, value: Any, fields: list[Any]) -> Any:
        if self.kind == "count":
            return int(value)
        if self.kind == "exists":
            return bool(value)
        if len(fields) == 1:
            values = [value]
        else:
            values = json.loads(value) if isinstance(value, str) else value
        return {
            k: None if v is None else f.to_python(v)
            for k, v, f in zip(self.exprs, values, fields, strict=True)
        }


def ask(tallies: list[Tally]) -> list[Any]:
    """The answers to ``tallies``, in one statement per database they read: ``SELECT (…),
    (…), …``, each a scalar subquery, planned on its own (a list of one-row subqueries in
    FROM would be planned as a join, and cost more to plan than to run)."""
    answers: list[Any] = [None] * len(tallies)
    per_db: dict[str, list[int]] = {}
    for i, tally in enumerate(tallies):
        per_db.setdefault(tally.qs.db, []).append(i)
    for db, indexes in per_db.items():
        parts: list[str] = []
        params: list[Any] = []
        read: list[tuple[int, list[Any]]] = []
        for i in indexes:
            tally = tallies[i]
            try:
                sql, p, fields = tally._sql()
            except EmptyResultSet:
                answers[i] = tally._empty()
                continue
            parts.append(sql)
            params.extend(p)
            read.append((i, fields))
        if not parts:
            continue
        with connections[db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        for (i, fields), value in zip(read, row, strict=True):
            answers[i] = tallies[i]._read(value, fields)
    return answers


# What a ``tasks`` generator yields: a task, a tally (sent its answer) or a tuple of tallies
# (sent a tuple of their answers, asked in the same statement).
Tasks = Generator[Task | Tally | tuple[Tally, ...], Any, None]


@cache
def _home_modules() -> list[ModuleType]:
    """The apps' ``home`` modules, found once per process (finding asks the file system for
    every app); each ``tasks`` is read from its module on every call."""
    return [import_module(f"{c.app}.home") for c in contributions("home", "tasks")]


def tasks_for(actor: Actor) -> list[Task]:
    """Every app's tasks in lifecycle order, their tallies asked together."""
    return gather(*(module.tasks(actor) for module in _home_modules()))


def gather(*made: Iterable[Task] | Tasks) -> list[Task]:
    """The tasks of ``made`` (what ``tasks`` functions returned), in order: the generators
    run side by side, each round of their tallies asked in one statement."""
    found: list[list[Task]] = []
    waiting: list[tuple[list[Task], Tasks, Any]] = []
    for one in made:
        out: list[Task] = []
        found.append(out)
        if isinstance(one, Generator):
            waiting.append((out, one, None))
        else:
            out.extend(one)
    while waiting:
        asked: list[tuple[list[Task], Tasks, int | None]] = []
        tallies: list[Tally] = []
        for out, gen, answer in waiting:
            try:
                item = gen.send(answer)
                while isinstance(item, Task):
                    out.append(item)
                    item = gen.send(None)
            except StopIteration:
                continue
            group = item if isinstance(item, tuple) else (item,)
            if not all(isinstance(t, Tally) for t in group):
                raise TypeError(f"a home task generator yielded {item!r}")
            asked.append((out, gen, len(group) if isinstance(item, tuple) else None))
            tallies.extend(group)
        answers = ask(tallies) if tallies else []
        waiting, at = [], 0
        for out, gen, width in asked:
            if width is None:
                waiting.append((out, gen, answers[at]))
                at += 1
            else:
                waiting.append((out, gen, tuple(answers[at : at + width])))
                at += width
    return [task for out in found for task in out]
