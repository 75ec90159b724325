"""Who is told about exchange events, and what (bell + e-mail through ``notices.notify``),
called from the services with ``transaction.on_commit`` and from ``remind_exchange``.
Registered in ExchangeConfig.ready."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.core.actor import Role
from qnwmh.exchange.models import Event, EventKind, Invitation, RegistrationStatus
from qnwmh.notices.messages import register
from qnwmh.notices.services import collective_managers, notify
from qnwmh.orgs.models import path_prefixes

KINDS: dict[str, Promise] = {
    "exchange.event.invited": _(
        "%(organiser)s 邀请您参加%(kind)s“%(title)s”（%(date)s，%(place)s），请及时报名。"
    ),
    "exchange.event.visit_opened": _(
        "%(organiser)s 安排了互访“%(title)s”（%(date)s，%(place)s）：%(host)s 接待 %(guest)s。贵集体是互访的一方，已报名，无需另行报名。"
    ),
    "exchange.event.registration_closes": _(
        "%(kind)s“%(title)s”的报名将于 %(date)s 截止，尚余 %(left)s 个名额。"
    ),
    "exchange.event.appraisal_due": _("互访“%(title)s”已举办，请对 %(other)s 作出评价。"),
    "exchange.event.cancelled": _("%(kind)s“%(title)s”（%(date)s）已取消：%(reason)s"),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)


def _link(event: Event) -> str:
    return reverse("exchange:detail", args=[event.code])


def _params(event: Event) -> dict[str, object]:
    return {
        "title": event.title,
        "kind": EventKind(event.kind).label,
        "date": event.held_on.isoformat(),
        "place": event.place,
        "organiser": event.organiser.name,
    }


def _users(condition: Q) -> list[User]:
    """The active users holding an active grant matching ``condition``: one query."""
    ids = RoleAssignment.objects.active().filter(condition).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).order_by("id"))


def managers_of(collective_ids: Any) -> list[User]:
    """The managers of all these collectives (ids, or a query of ids): one query."""
    return _users(Q(role=Role.COLLECTIVE_MANAGER, collective_id__in=collective_ids))


def invited_people(event: Event) -> list[User]:
    """The managers of invited collectives and the admins of invited bodies (and of the
    organisations above them, as ``notices.services.body_admins``): two queries."""
    rows = list(Invitation.objects.filter(event=event).values_list("collective_id", "body__path"))
    collectives = [c for c, _path in rows if c is not None]
    above = {p for _c, path in rows if path for p in path_prefixes(path)}
    return _users(
        Q(role=Role.COLLECTIVE_MANAGER, collective_id__in=collectives)
        | Q(role=Role.BODY_ADMIN, organisation__path__in=above)
    )


def registered_people(event: Event) -> list[User]:
    registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
    return managers_of(registered.values("collective_id"))


def _without(users: Iterable[User], actor_user: User | None) -> list[User]:
    return [u for u in users if actor_user is None or u.pk != actor_user.pk]


def event_opened(event: Event, actor_user: User | None = None) -> None:
    if event.is_mutual_visit:
        # The two sides are registered when the visit is created: tell them they take part,
        # not to register.
        notify(
            _without(invited_people(event), actor_user),
            code="exchange.event.visit_opened",
            params={
                **_params(event),
                "host": event.host.name if event.host else "",
                "guest": event.guest.name if event.guest else "",
            },
            link=_link(event),
        )
        return
    notify(
        _without(invited_people(event), actor_user),
        code="exchange.event.invited",
        params=_params(event),
        link=_link(event),
    )


def event_cancelled(event: Event, actor_user: User | None = None) -> None:
    notify(
        _without(invited_people(event) + registered_people(event), actor_user),
        code="exchange.event.cancelled",
        params={**_params(event), "reason": event.cancel_reason},
        link=_link(event),
    )


def registration_closes(event: Event, people: Iterable[User]) -> None:
    left = event.places_left
    notify(
        people,
        code="exchange.event.registration_closes",
        params={
            **_params(event),
            "date": event.registration_closes_on.isoformat()
            if event.registration_closes_on
            else "",
            "left": "—" if left is None else left,
        },
        link=_link(event),
    )


def appraisal_due(event: Event, sides: Iterable[int | None]) -> None:
    """Each side's managers that have not appraised the other yet."""
    names = {event.host_id: event.host, event.guest_id: event.guest}
    for side in sides:
        other = event.guest if side == event.host_id else event.host
        if side is None or other is None or names.get(side) is None:
            continue
        notify(
            collective_managers(side),
            code="exchange.event.appraisal_due",
            params={**_params(event), "other": other.name},
            link=reverse("exchange:appraise", args=[event.code]),
        )
