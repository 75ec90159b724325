"""Reads of notices: a person reads only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from qnwmh.accounts.kept import kept
from qnwmh.core.actor import Actor
from qnwmh.core.prepared import Bound, prepared
from qnwmh.notices.models import Notice, OutboundMail

# Where a signed-in session keeps its user's unread count (``accounts.kept``).
UNREAD_KEY = "_unread"


def notices_of(actor: Actor) -> QuerySet[Notice]:
    """The actor's own notices (none for an actor without an account)."""
    if actor.user is None:
        return Notice.objects.none()
    return Notice.objects.filter(recipient_id=actor.user.pk)


@prepared
def _own_notices(recipient_id: int) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient_id=recipient_id)


def notice_list(actor: Actor) -> QuerySet[Notice] | Bound[Notice]:
    """``notices_of`` as the notices list pages it: newest first, in SQL compiled once per
    process (every signed-in person opens it)."""
    if actor.user is None:
        return Notice.objects.none()
    return _own_notices.bind(actor.user.pk)


def unread_count(request: HttpRequest) -> int:
    """The signed-in user's unread notices, counted once per request (the bell and the notices
    list both show it) and kept by the session until a notice comes or is read
    (``accounts.kept``)."""
    cached = getattr(request, "_unread_notices", None)
    if cached is None:
        user: Any = getattr(request, "user", None)
        cached = 0
        if user is not None and user.is_authenticated:
            cached = kept(request, UNREAD_KEY, lambda: count_unread(user.pk))
        request._unread_notices = cached  # type: ignore[attr-defined]
    return cached


def count_unread(user_id: int) -> int:
    return Notice.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def notice_detail(actor: Actor, notice_id: int) -> Notice:
    """One of the actor's own notices, or Http404 (someone else's does not exist for them)."""
    return get_object_or_404(notices_of(actor), pk=notice_id)


def outbox_mail(actor: Actor, mail_id: int) -> OutboundMail:
    """An e-mail of the outbox, or Http404; only the city sees the outbox."""
    mails = OutboundMail.objects.all() if actor.is_city_admin else OutboundMail.objects.none()
    return get_object_or_404(mails, pk=mail_id)
