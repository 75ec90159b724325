from __future__ import annotations

from typing import Any

from django import template

from qnwmh.notices.models import Notice

register = template.Library()


@register.inclusion_tag("notices/_bell.html", takes_context=True)
def notice_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    return {"unread": unread}
