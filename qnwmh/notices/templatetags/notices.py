from __future__ import annotations

from typing import Any

from django import template

from qnwmh.notices.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notices/_bell.html", takes_context=True)
def notice_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    return {"unread": unread_count(request) if request is not None else 0}
