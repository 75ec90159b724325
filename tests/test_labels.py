"""choice_label / the ``label`` template filter: the same text as get_<field>_display, in the
active language, cached per language."""

from __future__ import annotations

from typing import Any

from django.template import Context, Template
from django.utils import translation

from qnwmh.core.labels import choice_label
from qnwmh.supervision.models import Complaint


def test_label_matches_django_display_in_each_language(world: Any):
    c = Complaint(collective=world.collective, body=world.body, status="acknowledged")
    for language, text in (("zh-hans", "已受理"), ("en", "Acknowledged"), ("zh-hans", "已受理")):
        with translation.override(language):
            assert choice_label(c, "status") == c.get_status_display() == text
            rendered = Template('{{ c|label:"status" }}').render(Context({"c": c}))
            assert rendered == text


def test_unknown_value_is_shown_raw(world: Any):
    c = Complaint(collective=world.collective, body=world.body, status="no-such-status")
    assert choice_label(c, "status") == "no-such-status"
