"""Sections that later stages add to a collective's pages (back office and public), so the
collectives and public apps show exchange, pairs or stories without importing those apps.

An app contributes by a ``panels.py`` holding ``PANELS``: a dict from a page name in
``PAGES`` to a function returning that app's panels for the collective. The office page's
function takes ``(actor, collective)``, the public page's ``(collective)``. A panel renders
its own template with its own context; each function runs a constant number of queries.

Most collectives have nothing in most panels, and each panel's queries cost more to build than
to run. So a contribution may be a ``Probed``: ``rows()`` is an expression over the collective
(``OuterRef("pk")``, usually an ``Exists``) that is true whenever the panel may have rows, and
``empty`` what the panel shows when it has none (default: nothing). The page's loader adds
every probe to the collective's own query (``with_probes``); a panel whose probe is false then
runs no query at all. A collective loaded without the probes gets every panel built."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple, TypeVar

from django.db.models import BooleanField, Model, QuerySet
from django.db.models.expressions import RawSQL

from qnwmh.core.plugins import contributions

OFFICE_COLLECTIVE = "collective.office"
# The office page's sections after its titles (e.g. where it was nominated), same arguments.
OFFICE_COLLECTIVE_HISTORY = "collective.office.history"
PUBLIC_COLLECTIVE = "collective.public"
PAGES = (OFFICE_COLLECTIVE, OFFICE_COLLECTIVE_HISTORY, PUBLIC_COLLECTIVE)

M = TypeVar("M", bound=Model)


class Panel(NamedTuple):
    template: str  # rendered with ``panel`` (this tuple) in the page's context
    context: dict[str, Any]


def _nothing(*args: Any) -> list[Panel]:
    return []


class Probed(NamedTuple):
    build: Callable[..., list[Panel]]  # the panels, as a plain contribution's function
    rows: Callable[[], Any]  # true for a collective (``OuterRef("pk")``) that may have rows
    empty: Callable[..., list[Panel]] = _nothing  # same arguments; runs no query


@cache
def _sources(page: str) -> tuple[Callable[..., list[Panel]] | Probed, ...]:
    """Gathered once per process: finding the apps' modules costs more than the queries
    it saves."""
    if page not in PAGES:
        raise KeyError(page)
    return tuple(c.value[page] for c in contributions("panels", "PANELS") if page in c.value)


def _probe_name(page: str, index: int) -> str:
    return f"panel_probe_{PAGES.index(page)}_{index}"


def with_probes(qs: QuerySet[M], *pages: str) -> QuerySet[M]:
    """``qs`` (of collectives) with whether each probed panel of ``pages`` has rows."""
    for page in pages:
        qs = qs.annotate(**_compiled_probes(qs.model, page, qs.db))
    return qs


@cache
def _compiled_probes(model: type[Model], page: str, using: str) -> dict[str, RawSQL]:
    """The probes as SQL, compiled once per process: building a handful of ``Exists`` costs
    a few milliseconds per request, more than running them. Their outer reference is the
    model's table, which is the unaliased base table of any query over the model."""
    probes = {
        _probe_name(page, i): source.rows()
        for i, source in enumerate(_sources(page))
        if isinstance(source, Probed)
    }
    query = model._default_manager.annotate(**probes).query
    compiler = query.get_compiler(using)
    compiled = {}
    for name in probes:
        sql, params = compiler.compile(query.annotations[name])
        compiled[name] = RawSQL(sql, tuple(params), output_field=BooleanField())
    return compiled


def panels(page: str, *args: Any) -> list[Panel]:
    """Every app's panels for ``page``, in ``INSTALLED_APPS`` order. The collective is the
    last argument."""
    found: list[Panel] = []
    for i, source in enumerate(_sources(page)):
        if not isinstance(source, Probed):
            found.extend(source(*args))
        elif getattr(args[-1], _probe_name(page, i), True):
            found.extend(source.build(*args))
        else:
            found.extend(source.empty(*args))
    return found
