"""``{{ obj|label:"status" }}``: a choice field's display label (see ``qnwmh.core.labels``).
A template builtin, so no ``{% load %}`` is needed."""

from __future__ import annotations

from django import template

from qnwmh.core.labels import choice_label

register = template.Library()
register.filter("label", choice_label)
