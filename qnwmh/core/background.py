"""Files too large to build inside a request: where the decision is taken, and progress.

An export or a PDF is a function ``run(actor, **kwargs) -> HttpResponse`` (an attachment).
Its module calls::

    return inline_or_background(actor, size=qs.count(), limit=settings.EXPORT_INLINE_ROWS,
                                label=_("集体"), run=collectives_file, filters=filters)

At or under ``limit`` the file is built and answered at once, as always. Above it the starter
that ``qnwmh.downloads`` registers at start-up keeps the call (``run`` by its dotted path, the
arguments as they are) and answers a redirect to a page showing the progress; the worker calls
``run`` later with the same actor and keeps the file for download. This module sits in ``core``
so every app, down to ``audit``, can hand work over without importing the app that runs it.

While ``run`` writes, ``counted(rows)`` reports how many rows (or pages) are done to whoever
listens (the worker does; a request does not).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.http.response import HttpResponseBase

from qnwmh.core.actor import Actor
from qnwmh.core.replica import replica_reads

T = TypeVar("T")

# How often (in rows) a long export tells its listener where it is.
REPORT_EVERY = 500


class Starter(Protocol):
    def __call__(
        self,
        actor: Actor,
        *,
        run: Callable[..., HttpResponseBase],
        kwargs: dict[str, Any],
        label: str,
        total: int,
    ) -> HttpResponseBase: ...


_starter: Starter | None = None


class _Tally:
    """The rows done so far in one background run, told to ``report`` now and then."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self.report = report
        self.done = 0


_tally: contextvars.ContextVar[_Tally | None] = contextvars.ContextVar(
    "background_tally", default=None
)


def register_starter(starter: Starter | None) -> None:
    """Set by the app that runs files in the background (``qnwmh.downloads``)."""
    global _starter
    _starter = starter


def inline_or_background(
    actor: Actor,
    *,
    size: int,
    label: Any,
    run: Callable[..., HttpResponseBase],
    limit: int | None = None,
    **kwargs: Any,
) -> HttpResponseBase:
    """Build the file now when ``size`` is at most ``limit`` (rows: ``EXPORT_INLINE_ROWS``),
    else start it in the background and answer the redirect to its progress page."""
    limit = settings.EXPORT_INLINE_ROWS if limit is None else limit
    if size <= limit or _starter is None:
        with replica_reads():  # a file is a report: its reads may go to the replica
            return run(actor, **kwargs)
    return _starter(actor, run=run, kwargs=kwargs, label=str(label), total=size)


@contextlib.contextmanager
def listening(report: Callable[[int], None]) -> Iterator[None]:
    """Within the block, ``counted`` items are reported to ``report(done)``."""
    token = _tally.set(_Tally(report))
    try:
        yield
    finally:
        _tally.reset(token)


def counted(items: Iterable[T]) -> Iterable[T]:
    """``items`` unchanged; with a listener, the running count every ``REPORT_EVERY`` items.
    Several counted iterables in one run (the sheets of a workbook) add up."""
    tally = _tally.get()
    if tally is None:
        return items
    return _counting(items, tally)


def _counting(items: Iterable[T], tally: _Tally) -> Iterator[T]:
    for item in items:
        yield item
        tally.done += 1
        if tally.done % REPORT_EVERY == 0:
            tally.report(tally.done)
    tally.report(tally.done)
