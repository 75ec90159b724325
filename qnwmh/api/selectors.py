"""Reads of API tokens, scoped to the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from qnwmh.accounts.actor import Actor
from qnwmh.api.models import ApiToken


def tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    """City admins see every token; everyone else their own."""
    qs = ApiToken.objects.select_related("user")
    if actor.is_city_admin:
        return qs
    if actor.user is None:
        return qs.none()
    return qs.filter(user=actor.user)
