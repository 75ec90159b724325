"""Template builtins shared by every page (no ``{% load %}`` needed).

- ``{{ obj|label:"status" }}``: a choice field's display label (see ``qnwmh.core.labels``).
- ``{% options items selected %}``: the ``<option>``s of a filter select. ``items`` are
  ``(value, label)`` pairs or model objects (value ``pk``, label ``name`` or ``str()``); the one
  whose value equals ``selected`` is marked. Rendered in Python: a filter bar has a hundred
  options, and a template loop with an ``if`` per option cost several milliseconds a page.
- ``{{ value|fact }}``: a value stored as facts (``qnwmh.core.facts``) in the reader's language;
  anything else as stored.
- ``{% colon %}`` / ``{% list_sep %}``: the punctuation after a label and between list items in
  the reader's language (``：``/``、`` in Chinese, ``: ``/``, `` in English); ``{{ x|paren }}``
  puts brackets around a value (``（x）`` / `` (x)``). Never write full-width punctuation
  outside a translated string."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from qnwmh.core.facts import display
from qnwmh.core.labels import choice_label

register = template.Library()
register.filter("label", choice_label)
register.filter("fact", display)

SELECTED = mark_safe(" selected")


def _pair(item: Any) -> tuple[Any, Any]:
    if isinstance(item, (tuple, list)):
        return item[0], item[1]
    return item.pk, getattr(item, "name", None) or str(item)


@register.simple_tag
def options(items: Iterable[Any], selected: Any) -> SafeString:
    pairs = (_pair(item) for item in items)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value == selected else "", text) for value, text in pairs),
    )


@register.simple_tag
def colon() -> str:
    return pgettext("标点", "：")


@register.simple_tag
def list_sep() -> str:
    return pgettext("标点", "、")


@register.filter
def paren(value: Any) -> str:
    return pgettext("标点", "（%(x)s）") % {"x": value}
