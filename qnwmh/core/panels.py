"""Sections that later stages add to a collective's pages (back office and public), so the
collectives and public apps show exchange, pairs or stories without importing those apps.

An app contributes by a ``panels.py`` holding ``PANELS``: a dict from a page name in
``PAGES`` to a function returning that app's panels for the collective. The office page's
function takes ``(actor, collective)``, the public page's ``(collective)``. A panel renders
its own template with its own context; each function runs a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from qnwmh.core.plugins import contributions

OFFICE_COLLECTIVE = "collective.office"
PUBLIC_COLLECTIVE = "collective.public"
PAGES = (OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE)


class Panel(NamedTuple):
    template: str  # rendered with ``panel`` (this tuple) in the page's context
    context: dict[str, Any]


def panels(page: str, *args: Any) -> list[Panel]:
    """Every app's panels for ``page``, in ``INSTALLED_APPS`` order."""
    if page not in PAGES:
        raise KeyError(page)
    found: list[Panel] = []
    for c in contributions("panels", "PANELS"):
        build: Callable[..., list[Panel]] | None = c.value.get(page)
        if build is not None:
            found.extend(build(*args))
    return found
