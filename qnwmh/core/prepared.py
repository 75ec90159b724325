"""Querysets compiled to SQL once per process.

Compiling a queryset to SQL is Python work inside Django's ORM: a millisecond or more for a
list page's query with its joins, several times what the database takes to run it. A hot
query is written once as a function of its arguments and decorated with ``@prepared``::

    @prepared
    def notices(recipient_id: int) -> QuerySet[Notice]:
        return Notice.objects.filter(recipient_id=recipient_id).order_by("-created_at")

    notices.rows(user.pk, start=0, stop=25)   # a list, as list(qs[0:25]) gives
    paginate(request, notices.bind(user.pk))   # pages and their count, each prepared

The first call for a shape of arguments builds the queryset with stand-ins, compiles it and
notes where each stand-in lands among the SQL's parameters. Later calls put their arguments
there and run the SQL; Django turns the rows into instances or values as for the queryset
itself (``select_related``, ``only``, ``values``, ``prefetch_related`` all hold).

What an argument may be:

- an ``int`` or a ``str`` (or a tuple of them): a parameter of the SQL;
- an ``Actor``: the shape is its scope (``core.scope.scope_key``) and roles, so a body's
  admins share one compiled query;
- anything else hashable (``None``, a ``bool``): part of the shape, one compilation per value.

``build`` must depend on its arguments alone: not on the clock, the language or a setting.
Under tests every call is also built and compiled afresh and the two compared
(``PREPARED_CHECK``), so a build that reads anything else fails the suite rather than serve
a stale query.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

from qnwmh.core.actor import Actor
from qnwmh.core.scope import scope_key

M = TypeVar("M", bound=Model)

# Stand-ins no real argument equals: far outside any id, and text no one types.
_INT_MARK = -7_340_000_000_000
_STR_MARK = "\ue000prepared:{}\ue001"
# Shapes kept per function; a function meeting more (ever more ids in a tuple) starts over.
MAX_SHAPES = 256


def _shape(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int
    if isinstance(value, str):
        return str
    if isinstance(value, tuple):
        return (tuple, tuple(_shape(v) for v in value))
    if isinstance(value, Actor):
        # What ``in_scope`` reads, and the roles a build may branch on.
        return (Actor, scope_key(value), value.roles)
    hash(value)
    return (type(value), value)


class _Marks:
    """Stand-ins for the parameters among the arguments, and where each came from."""

    def __init__(self) -> None:
        self.origin: dict[Any, tuple[int, int | None]] = {}

    def _mark(self, value: Any, at: tuple[int, int | None]) -> Any:
        n = len(self.origin)
        if isinstance(value, bool) or not isinstance(value, int | str):
            return value
        mark: Any = _INT_MARK - n if isinstance(value, int) else _STR_MARK.format(n)
        self.origin[mark] = at
        return mark

    def stand_ins(self, args: Sequence[Any]) -> list[Any]:
        out = []
        for i, value in enumerate(args):
            if isinstance(value, tuple):
                out.append(tuple(self._mark(v, (i, j)) for j, v in enumerate(value)))
            else:
                out.append(self._mark(value, (i, None)))
        return out


@dataclass(frozen=True)
class _Compiled:
    db: str  # the database it was compiled for
    queryset: QuerySet[Any]  # built with the stand-ins; cloned for each run
    compiler: Any  # compiled once: its select and column maps read the rows
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int, int | None], ...]  # (parameter, argument, item in a tuple)
    empty: bool  # the query can match nothing (an empty tuple in ``__in``)

    def params_for(self, args: Sequence[Any]) -> list[Any]:
        params = list(self.params)
        for at, i, j in self.slots:
            params[at] = args[i] if j is None else args[i][j]
        return params


def _compile(qs: QuerySet[Any], marks: _Marks, name: str) -> _Compiled:
    db = qs.db
    compiler = qs.query.get_compiler(using=db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return _Compiled(db, qs, compiler, "", (), (), empty=True)
    slots = []
    found = set()
    for at, param in enumerate(params):
        origin = marks.origin.get(param) if isinstance(param, int | str) else None
        if origin is not None:
            slots.append((at, *origin))
            found.add(param)
        elif isinstance(param, str) and "\ue000prepared:" in param:
            raise ImproperlyConfigured(f"{name}: a lookup rewrote an argument ({param!r})")
    if missing := marks.origin.keys() - found:
        raise ImproperlyConfigured(
            f"{name}: arguments {sorted(marks.origin[m] for m in missing)} are not SQL "
            "parameters as given (a lookup converted them, or the build did not use them)"
        )
    return _Compiled(db, qs, compiler, sql, tuple(params), tuple(slots), empty=False)


class prepared(Generic[M]):  # lower case: used as a decorator
    """A queryset-building function whose SQL is compiled once per process and shape of
    arguments (see the module's text)."""

    def __init__(self, build: Callable[..., QuerySet[M]]) -> None:
        self.build = build
        self.name = f"{build.__module__}.{build.__qualname__}"
        self._kept: dict[Any, _Compiled] = {}
        self._model: type[Model] | None = None  # known from the first build

    def __repr__(self) -> str:
        return f"<prepared {self.name}>"

    def _compiled(self, args: Sequence[Any], kind: str) -> _Compiled:
        # Kept per database too: a view reading from the replica runs its own compilation.
        shapes = tuple(_shape(a) for a in args)
        db = router.db_for_read(self._model) if self._model is not None else None
        found = self._kept.get((kind, db, shapes))
        if found is None:
            marks = _Marks()
            qs: QuerySet[Any, Any] = self.build(*marks.stand_ins(args))
            if kind == "count":
                qs = qs.order_by().values("pk")
            found = _compile(qs, marks, self.name)
            self._model = qs.model
            if len(self._kept) >= MAX_SHAPES:
                self._kept.clear()
            self._kept[(kind, found.db, shapes)] = found
        return found

    def _check(
        self, compiled: _Compiled, args: Sequence[Any], params: list[Any], kind: str
    ) -> None:
        """Under tests: the SQL a fresh build compiles to is what the kept one runs."""
        qs: QuerySet[Any, Any] = self.build(*args)
        if kind == "count":
            qs = qs.order_by().values("pk")
        try:
            fresh = qs.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:
            fresh = ("", ())
        kept = ("", ()) if compiled.empty else (compiled.sql, tuple(params))
        if (fresh[0], tuple(fresh[1])) != kept:
            raise AssertionError(
                f"{self.name} depends on more than its arguments:\n{fresh}\n{kept}"
            )

    def _ready(self, args: Sequence[Any], kind: str) -> tuple[_Compiled, list[Any]]:
        """The kept SQL for ``args`` and its parameters (under tests, checked against a fresh
        compilation)."""
        compiled = self._compiled(args, kind)
        params = [] if compiled.empty else compiled.params_for(args)
        if getattr(settings, "PREPARED_CHECK", False):
            self._check(compiled, args, params, kind)
        return compiled, params

    def rows(self, *args: Any, start: int = 0, stop: int | None = None) -> list[M]:
        """``list(build(*args)[start:stop])``."""
        compiled, params = self._ready(args, "rows")
        if compiled.empty or (stop is not None and stop <= start):
            return []
        sql = compiled.sql
        if stop is not None:
            # Django writes a slice into the SQL text; as parameters, one compilation serves
            # every page. A sliced or locking build cannot take a second LIMIT.
            if compiled.queryset.query.is_sliced or compiled.queryset.query.select_for_update:
                raise ImproperlyConfigured(f"{self.name}: slice the rows, not the build")
            sql += " LIMIT %s OFFSET %s"
            params += [stop - start, start]
        elif start:
            raise ValueError("rows from an offset need a stop")
        return self._run(compiled, sql, params)

    def first(self, *args: Any) -> M | None:
        """``build(*args).first()`` for a build that orders its rows."""
        found = self.rows(*args, start=0, stop=1)
        return found[0] if found else None

    def count_up_to(self, cap: int, *args: Any) -> int:
        """How many rows ``build(*args)`` has, counting at most ``cap + 1``."""
        compiled, params = self._ready(args, "count")
        if compiled.empty:
            return 0
        with connections[compiled.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({compiled.sql} LIMIT %s) _n", [*params, cap + 1])
            return int(cursor.fetchone()[0])

    def bind(self, *args: Any) -> Bound[M]:
        """The rows for these arguments as ``paginate`` reads a list: slices and a count."""
        return Bound(self, args)

    def bind_unless(self, search: str, *args: Any) -> Bound[M] | QuerySet[M]:
        """``bind(*args)``, or the plain queryset when the list is searched by ``search``:
        each reader's words would be a compilation of their own, and a lookup that rewrites
        its argument (``icontains``) cannot be kept."""
        return self.build(*args) if search else self.bind(*args)

    @staticmethod
    def _run(compiled: _Compiled, sql: str, params: list[Any]) -> list[Any]:
        # Django's own iteration over a clone of the built queryset, its compiler answering
        # with the kept SQL: rows become instances (or values) exactly as for the queryset.
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[compiled.db]  # this thread's connection
        compiler.as_sql = lambda *a, **k: (sql, params)
        qs = compiled.queryset._chain()  # type: ignore[attr-defined]
        qs._db = compiled.db
        qs.query.get_compiler = lambda *a, **k: compiler
        return list(qs)


class Bound(Generic[M]):
    """A prepared query with its arguments, read by ``core.pagination`` like a queryset."""

    ordered = True  # the build orders its rows (Django's paginator asks)

    def __init__(self, query: prepared[M], args: tuple[Any, ...]) -> None:
        self.query = query
        self.args = args

    def __getitem__(self, s: slice) -> list[M]:
        if not isinstance(s, slice) or s.step is not None:
            raise TypeError("a prepared list is read by slices")
        return self.query.rows(*self.args, start=s.start or 0, stop=s.stop)

    def count_up_to(self, cap: int) -> int:
        return self.query.count_up_to(cap, *self.args)
