"""Template builtins shared by every page (no ``{% load %}`` needed).

- ``{{ obj|label:"status" }}``: a choice field's display label (see ``qnwmh.core.labels``).
- ``{% options items selected %}``: the ``<option>``s of a filter select. ``items`` are
  ``(value, label)`` pairs or model objects (value ``pk``, label ``name`` or ``str()``); the one
  whose value equals ``selected`` is marked. Rendered in Python: a filter bar has a hundred
  options, and a template loop with an ``if`` per option cost several milliseconds a page.
- ``{{ value|fact }}``: a value stored as facts (``qnwmh.core.facts``) in the reader's language;
  anything else as stored.
- ``{% fragment "app/name.html" %}``: a Jinja2 fragment (``qnwmh.core.fragments``: the rows
  of the busiest tables) rendered with the page's context.
- ``{% colon %}`` / ``{% list_sep %}``: the punctuation after a label and between list items in
  the reader's language (``：``/``、`` in Chinese, ``: ``/``, `` in English); ``{{ x|paren }}``
  puts brackets around a value (``（x）`` / `` (x)``). Never write full-width punctuation
  outside a translated string.
- ``{% account_menu %}`` / ``{% language_switch %}``: the back-office header's account menu
  and language switch, rendered in Python from text and links kept per language (a dozen
  template tags there cost as much as the rest of a small page)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from qnwmh.core import fragments
from qnwmh.core.facts import display
from qnwmh.core.labels import choice_label

register = template.Library()
register.filter("label", choice_label)
register.filter("fact", display)


options = register.simple_tag(fragments.options, name="options")
colon = register.simple_tag(fragments.colon, name="colon")


@register.simple_tag(takes_context=True)
def fragment(context: Any, name: str) -> SafeString:
    """A Jinja2 fragment (``core.fragments``) rendered with the page's context."""
    return fragments.render(name, context.flatten())


@register.simple_tag
def list_sep() -> str:
    return pgettext("标点", "、")


@register.filter
def paren(value: Any) -> str:
    return pgettext("标点", "（%(x)s）") % {"x": value}


@lru_cache(maxsize=16)
def _header_text(language: str | None, prefix: str) -> dict[str, str]:
    # ``prefix`` is only part of the key: ``reverse`` reads it itself.
    return {
        "password": reverse("accounts:password_change"),
        "password_label": gettext("修改密码"),
        "logout": reverse("accounts:logout"),
        "logout_label": gettext("退出登录"),
        "set_language": reverse("set_language"),
    }


def _csrf_input(context: Any) -> SafeString:
    # As ``{% csrf_token %}`` renders it.
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def account_menu(context: Any) -> SafeString:
    text = _header_text(get_language(), get_script_prefix())
    return format_html(
        '<li><details class="dropdown"><summary>{}</summary><ul dir="rtl">'
        '<li><a href="{}">{}</a></li>'
        '<li><form method="post" action="{}">{}<button type="submit" class="linklike">{}'
        "</button></form></li></ul></details></li>",
        context.get("user"),
        text["password"],
        text["password_label"],
        text["logout"],
        _csrf_input(context),
        text["logout_label"],
    )


# The switch offers the other language, named in itself.
SWITCH_TO = {
    "en": mark_safe(
        '<button type="submit" name="language" value="zh-hans" class="linklike" lang="zh-Hans">'
        "中文</button>"
    ),
    "": mark_safe(
        '<button type="submit" name="language" value="en" class="linklike" lang="en">'
        "English</button>"
    ),
}


@register.simple_tag(takes_context=True)
def language_switch(context: Any) -> SafeString:
    request = context.get("request")
    language = get_language()
    text = _header_text(language, get_script_prefix())
    return format_html(
        '<li><form method="post" action="{}" class="lang-switch">{}'
        '<input type="hidden" name="next" value="{}">{}</form></li>',
        text["set_language"],
        _csrf_input(context),
        request.get_full_path() if request is not None else "",
        SWITCH_TO["en" if language == "en" else ""],
    )


@receiver(setting_changed)
def _forget_header_text(*, setting: str, **kwargs: Any) -> None:
    # Tests may swap the URLs or the languages the kept text was built with.
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE"):
        _header_text.cache_clear()
