"""The template builtins of qnwmh.core.templatetags.ui: ``label`` gives the same text as
get_<field>_display in the active language; ``options`` marks the selected value and escapes."""

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


def test_options_mark_the_selected_value_and_escape(world: Any):
    from qnwmh.supervision.models import Kind

    rendered = Template("{% options kinds sel %}|{% options towns town %}").render(
        Context(
            {
                "kinds": Kind.choices,
                "sel": "praise",
                "towns": [world.body.town, world.other_body.town],
                "town": world.other_body.town.pk,
            }
        )
    )
    kinds, towns = rendered.split("|")
    with translation.override("zh-hans"):
        assert '<option value="praise" selected>表扬</option>' in kinds
    assert kinds.count(" selected") == 1 and kinds.count("<option") == len(Kind.choices)
    assert f'<option value="{world.other_body.town.pk}" selected>' in towns
    assert f'<option value="{world.body.town.pk}">{world.body.town.name}</option>' in towns
    hostile = Template("{% options items 1 %}").render(Context({"items": [(1, "<b>x</b>")]}))
    assert hostile == '<option value="1" selected>&lt;b&gt;x&lt;/b&gt;</option>'
