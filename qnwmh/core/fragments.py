"""Fragments: the rows of the busiest tables, written in Jinja2.

The Django template language spends about a tenth of a millisecond on each row of a table
(every variable is looked up through the context's stack, localised and escaped by separate
calls), which made the rows a third of a list page's time. The rows of the key lists are
Jinja2 templates instead, in an app's ``jinja2/`` folder, with the same markup: Jinja2
compiles each into a Python function once. A page's Django template renders one with
``{% fragment "app/name.html" %}`` (``core.templatetags.ui``), which passes the page's context.

What a fragment may use, beside Jinja2's own: ``_`` (gettext: the catalogue finds
``{{ _("…") }}`` as it finds it in Django templates), ``label`` (a choice field's label,
``core.labels``), ``date`` (Django's, in local time), ``url`` (``reverse``), ``link`` (a
one-argument URL for every row at the cost of one ``reverse``), ``options`` (a filter
select's options, as ``{% options %}``) and ``colon`` (the label punctuation of the reader's
language); an app adds its own in ``<app>/fragments.py`` → ``GLOBALS`` (``core.plugins``).
Values are escaped as Django escapes them, and Django's safe strings stay unescaped.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape as html_escape
from typing import Any
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters, engines
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext, pgettext
from jinja2 import ChainableUndefined, Environment, Undefined

from qnwmh.core.labels import choice_label
from qnwmh.core.plugins import contributions

ENGINE = "fragments"
# A stand-in argument no URL converter changes or quotes: where the row's value goes.
_SLOT = "__slot__"
# What ``reverse`` leaves unquoted in an argument (django.urls.resolvers).
_SAFE = "/~:@!$&'()*+,;="


@lru_cache(maxsize=256)
def _link(name: str, prefix: str) -> tuple[str, str]:
    # ``prefix`` is only part of the key: ``reverse`` reads it itself.
    head, tail = reverse(name, args=[_SLOT]).split(_SLOT)
    return head, tail


def link(name: str) -> Callable[[Any], str]:
    """``reverse(name, args=[value])`` for any value, from one reversal of the pattern."""
    head, tail = _link(name, get_script_prefix())
    return lambda value: f"{head}{quote(str(value), safe=_SAFE)}{tail}"


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


@receiver(setting_changed)
def _forget_links(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _link.cache_clear()


def escaped(value: Any) -> SafeString:
    """Django's ``conditional_escape``, byte for byte, without the wrapper that looks for lazy
    arguments on every call (every value a fragment writes passes here: the wrapper's own work
    was about a twentieth of the collectives list's time)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html_escape(str(value)))


def _pair(item: Any) -> tuple[Any, Any]:
    if isinstance(item, (tuple, list)):
        return item[0], item[1]
    return item.pk, getattr(item, "name", None) or str(item)


def options(items: Iterable[Any], selected: Any) -> SafeString:
    """The ``<option>``s of a filter select: ``(value, label)`` pairs or model objects (value
    ``pk``, label ``name`` or ``str()``), the one whose value is ``selected`` marked."""
    out = []
    for item in items:
        value, text = _pair(item)
        mark = " selected" if value == selected else ""
        out.append(f'<option value="{escaped(value)}"{mark}>{escaped(text)}</option>')
    return SafeString("".join(out))


def colon() -> str:
    return pgettext("标点", "：")


# The all-numeric formats the fragments use, written as Django's date format writes them
# (zero-padded): Django's formatter costs a tenth of a millisecond per value.
_NUMERIC = {
    "Y-m-d": (datetime.date, "{0.year:04d}-{0.month:02d}-{0.day:02d}"),
    "Y-m-d H:i": (
        datetime.datetime,
        "{0.year:04d}-{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}",
    ),
}


def date(value: Any, format: str) -> str:
    """Django's ``|date``: an aware time in the local time zone, formatted (a missing value
    empty)."""
    if isinstance(value, Undefined):
        return ""
    shown = template_localtime(value)
    numeric = _NUMERIC.get(format)
    if numeric is not None and isinstance(shown, numeric[0]):
        return numeric[1].format(shown)
    return defaultfilters.date(shown, format)


def environment(**config: Any) -> Environment:
    # As in Django templates, a missing value (or one of its attributes) renders empty, in
    # development too (Django's backend would show Jinja2's debugging text there).
    # Every value is escaped as Django escapes it (``finalize`` runs before autoescaping,
    # which leaves safe strings alone): markupsafe would write an apostrophe ``&#39;`` where
    # Django writes ``&#x27;``, and the rows stay byte-identical to the templates they replace.
    env = Environment(**{**config, "undefined": ChainableUndefined, "finalize": escaped})
    env.globals.update(_=gettext, link=link, url=url, colon=colon, options=options)
    env.filters.update(label=choice_label, date=date)
    for contribution in contributions("fragments", "GLOBALS"):
        if taken := env.globals.keys() & contribution.value.keys():
            raise ImproperlyConfigured(f"{contribution.app}.fragments redefines {sorted(taken)}")
        env.globals.update(contribution.value)
    return env


def render(name: str, context: dict[str, Any]) -> SafeString:
    """The fragment ``name`` rendered with ``context``: markup to put in a page. In a fragment
    the helpers' names are always the helpers: a page variable of the same name (a view's
    ``options``) is left out rather than hide one."""
    backend = engines[ENGINE]
    shadowing = context.keys() & backend.env.globals.keys()  # type: ignore[attr-defined]
    if shadowing:
        context = {k: v for k, v in context.items() if k not in shadowing}
    return mark_safe(backend.get_template(name).render(context))
