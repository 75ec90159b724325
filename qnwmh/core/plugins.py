"""How an app plugs into the others: by a module of a known name holding a known attribute
(``nav.py`` → ``NAV_ITEMS``, ``home.py`` → ``tasks``, ``demo.py`` → ``build``,
``audit_labels.py`` → ``LABELS``). ``contributions`` gathers them from our apps in
``INSTALLED_APPS`` order, so what comes first in the lifecycle comes first everywhere.

``core`` hosts these hook points and contributes to none (its ``nav.py`` and ``home.py`` are
the collectors). An app without the module simply contributes nothing; a module that exists
but fails to import, or lacks the attribute, is an error, never a silent gap."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from importlib.util import find_spec
from typing import Any, NamedTuple

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

PACKAGE = "qnwmh"
HOST_APP = f"{PACKAGE}.core"


class Contribution(NamedTuple):
    app: str  # the app's dotted name, e.g. "qnwmh.cycles"
    value: Any


def plugin_apps() -> list[str]:
    """Our apps that may contribute, in ``INSTALLED_APPS`` order (third-party apps never do)."""
    return [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith(f"{PACKAGE}.") and config.name != HOST_APP
    ]


def contributions(
    module: str, attribute: str, *, among: Iterable[str] | None = None
) -> list[Contribution]:
    """``attribute`` of ``<app>.<module>`` for every app that has that module, in app order.
    ``among`` replaces ``plugin_apps()`` (for tests)."""
    found = []
    for app in plugin_apps() if among is None else among:
        name = f"{app}.{module}"
        # Asking whether the module exists, rather than catching ModuleNotFoundError on import,
        # keeps a broken import inside the module from passing for an absent module.
        if find_spec(name) is None:
            continue
        try:
            loaded = import_module(name)
        except Exception as error:
            error.add_note(f"(while gathering {attribute} from {name}: the module is broken)")
            raise
        if not hasattr(loaded, attribute):
            raise ImproperlyConfigured(f"{name} exists but defines no {attribute}")
        found.append(Contribution(app, getattr(loaded, attribute)))
    return found
