"""Jinja2 fragments (``core.fragments``) write what the Django templates they replace wrote."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from qnwmh.core import fragments
from qnwmh.core.plugins import Contribution

pytestmark = pytest.mark.once


@pytest.mark.parametrize("value", ["ABC123", "带 空格", "a&b'c", 42])
def test_a_link_is_what_reverse_gives(value):
    url = fragments.link("collectives:detail")
    assert url(value) == reverse("collectives:detail", args=[value])


def test_a_link_follows_the_script_prefix(settings):
    from django.urls import set_script_prefix

    before = fragments.link("collectives:detail")("X")
    set_script_prefix("/qn/")
    try:
        assert fragments.link("collectives:detail")("X") == "/qn" + before
    finally:
        set_script_prefix("/")


def test_dates_are_shown_in_local_time_as_django_shows_them():
    moment = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)  # 01:30 in Zhongshan
    django = Template('{{ t|date:"Y-m-d H:i" }}').render(Context({"t": moment}))
    assert fragments.date(moment, "Y-m-d H:i") == django == "2026-03-02 01:30"
    assert fragments.date(None, "Y-m-d") == Template('{{ t|date:"Y-m-d" }}').render(
        Context({"t": None})
    )
    assert timezone.is_aware(moment)


_MOMENTS = [
    datetime.datetime(2026, 12, 31, 16, 5, tzinfo=datetime.UTC),  # the next day locally
    datetime.datetime(987, 1, 2, 3, 4, tzinfo=datetime.UTC),
]


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        *((t, f) for t in _MOMENTS for f in ("Y-m-d", "Y-m-d H:i", "Y年n月j日 H:i")),
        (datetime.date(2026, 7, 1), "Y-m-d"),
        (datetime.date(2026, 7, 1), "Y年n月j日"),
    ],
)
def test_every_date_format_writes_what_djangos_filter_writes(value, fmt):
    django = Template("{{ t|date:f }}").render(Context({"t": value, "f": fmt}))
    assert fragments.date(value, fmt) == django


def _env():
    from django.template import engines

    return engines[fragments.ENGINE].env


def test_a_missing_value_renders_empty_and_text_is_escaped(settings):
    settings.DEBUG = True  # Django's backend would show Jinja2's debugging text
    env = fragments.environment(loader=None, autoescape=True)
    assert env.from_string("[{{ c.town.name }}]").render(c=None) == "[]"
    assert _env().from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"


def test_values_are_escaped_as_django_templates_escape_them():
    text = '<b>It\'s "x" & y</b>'
    django = Template("{{ x }}{{ y }}").render(Context({"x": text, "y": mark_safe(text)}))
    assert _env().from_string("{{ x }}{{ y }}").render(x=text, y=mark_safe(text)) == django
    assert "&#x27;" in django  # where markupsafe alone writes &#39;


@pytest.mark.parametrize(
    "value",
    ['<b>It\'s "x" & y</b>', mark_safe("<i>&amp;</i>"), gettext_lazy("暂无数据。"), 42, None, 2.5],
)
def test_escaped_is_djangos_conditional_escape(value):
    assert fragments.escaped(value) == conditional_escape(value)
    assert type(fragments.escaped(value)) is type(conditional_escape(value))


def test_options_write_what_format_html_wrote():
    items = [(1, "甲 & 乙"), (2, mark_safe("<b>丙</b>")), ("x'y", '"丁"')]
    expected = "".join(
        format_html(
            '<option value="{}"{}>{}</option>', v, mark_safe(" selected") if v == 2 else "", t
        )
        for v, t in items
    )
    assert fragments.options(items, 2) == expected


def test_text_is_translated_in_the_readers_language():
    template = _env().from_string('{{ _("暂无数据。") }}{{ colon() }}')
    assert template.render() == "暂无数据。："
    with translation.override("en"):
        assert template.render() == "No data.: "


def test_an_app_may_not_redefine_a_global(monkeypatch):
    clash = [Contribution("qnwmh.example", {"link": len})]
    monkeypatch.setattr(fragments, "contributions", lambda module, attribute: clash)
    with pytest.raises(ImproperlyConfigured, match="redefines"):
        fragments.environment(loader=None)


def test_a_page_variable_never_hides_a_helper():
    # A view may pass ``options`` or ``link`` for its own template; the fragment's are kept.
    html = fragments.render(
        "collectives/filters.html",
        {"options": {"x": 1}, "link": "no", "filters": None, "levels": [("city", "市级")]},
    )
    assert '<option value="city">市级</option>' in html
