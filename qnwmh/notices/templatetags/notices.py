from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from qnwmh.notices.selectors import unread_count

register = template.Library()

ICON = mark_safe(
    '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
    '<path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/>'
    "</svg>"
)


@lru_cache(maxsize=16)
def _bell(language: str | None, prefix: str) -> tuple[str, str]:
    # Kept per language: the bell is on every back-office page. ``prefix`` is only part of
    # the key (``reverse`` reads it itself).
    return reverse("notices:list"), gettext("通知")


@register.simple_tag(takes_context=True)
def notice_bell(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    unread = unread_count(request) if request is not None else 0
    url, label = _bell(get_language(), get_script_prefix())
    count = (
        format_html('<span class="badge bell-count" data-testid="bell-count">{}</span>', unread)
        if unread
        else ""
    )
    return format_html(
        '<li><a href="{}" class="bell" aria-label="{}" title="{}">{}{}</a></li>',
        url,
        label,
        label,
        ICON,
        count,
    )
