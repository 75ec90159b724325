"""``{% months_strip months %}``: a compliance row's month-by-month open-week cells.

Rendered in Python: a body's compliance page shows 25 collectives × up to 24 months, and the
same markup as a template loop cost most of the page's time."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from qnwmh.creation.selectors import MonthCell

register = template.Library()


@register.simple_tag
def months_strip(months: list[MonthCell]) -> SafeString:
    cells = format_html_join(
        "",
        '<li class="m-{0}" title="{1}: {2}" data-month="{1}" data-status="{0}">{3} · {4}</li>',
        ((m.status, m.key, m.count, m.short, m.label) for m in months),
    )
    return format_html('<ul class="months">{}</ul>', cells)
