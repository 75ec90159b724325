from __future__ import annotations

from django.db.models import QuerySet

from qnwmh.accounts.models import LoginEvent
from qnwmh.core.actor import Actor


def login_events_visible_to(actor: Actor) -> QuerySet[LoginEvent]:
    if not actor.is_city_admin:
        return LoginEvent.objects.none()
    return LoginEvent.objects.all()
