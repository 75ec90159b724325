"""A link from a title on the collective's page to its oversight history. The collectives app
comes before oversight and cannot link there itself; its template loads this tag."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from qnwmh.collectives.models import Title

register = template.Library()


@register.simple_tag
def title_history_link(title: Title) -> SafeString:
    """No query: the history page itself is scoped, and whoever sees the collective's page
    (city, its bodies, its managers) may open it."""
    return format_html(
        '<br><a href="{}" data-testid="title-history">{}</a>',
        reverse("oversight:title", args=[title.code]),
        _("动态管理记录"),
    )
