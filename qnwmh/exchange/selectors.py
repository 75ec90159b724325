"""Reads of exchange events, scoped by the actor: the city sees every event; a body admin the
events its bodies organise, and those (not drafts) inviting its bodies (or a body above them)
or their collectives or taking part of them; a collective's manager those (not drafts)
inviting its collective or its body (or a body above it), or where it is registered. Bodies
nest: inviting a body invites the collectives of its whole subtree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.exchange.models import (
    AppraisalItem,
    Event,
    EventKind,
    EventStatus,
    Invitation,
    Registration,
    RegistrationStatus,
)
from qnwmh.orgs.models import Organisation


def _own_bodies(actor: Actor) -> QuerySet[Any]:
    return Collective.objects.filter(id__in=actor.collective_ids).values("body_id")


def _body_invited_above(body_ids: Any) -> Exists:
    """Inside an Invitation query: its body is one of ``body_ids`` or above one of them (bodies
    nest, and inviting a body invites its whole subtree)."""
    return Exists(
        Organisation.objects.filter(id__in=body_ids, path__startswith=OuterRef("body__path"))
    )


def events_visible_to(actor: Actor) -> QuerySet[Event]:
    qs = Event.objects.all()
    if actor.is_city_admin:
        return qs
    reach = Q()
    invited = Q()
    taking_part = Q()
    if actor.body_ids:
        reach |= Q(organiser_id__in=actor.body_ids)
        invited |= Q(_body_invited_above(actor.body_ids)) | Q(
            collective__body_id__in=actor.body_ids
        )
        taking_part |= Q(collective__body_id__in=actor.body_ids)
    if actor.collective_ids:
        invited |= Q(collective_id__in=actor.collective_ids) | Q(
            _body_invited_above(_own_bodies(actor))
        )
        taking_part |= Q(collective_id__in=actor.collective_ids)
    if not invited:
        return qs.none()
    invitations = Invitation.objects.filter(invited, event_id=OuterRef("pk"))
    registrations = Registration.objects.filter(taking_part, event_id=OuterRef("pk"))
    reach |= ~Q(status=EventStatus.DRAFT) & (Exists(invitations) | Exists(registrations))
    return qs.filter(reach)


def _related(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.select_related("organiser", "host", "guest")


def event_detail(actor: Actor, code: str) -> Event:
    return get_object_or_404(_related(events_visible_to(actor)), code=code)


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    status: str = ""
    year: int | None = None
    text: str = ""

    @classmethod
    def from_query(cls, data: Any) -> EventFilters:
        q = Query(data)
        return cls(
            kind=q.choice("kind", EventKind.values),
            status=q.choice("status", EventStatus.values),
            year=q.number("year", low=2000, high=2100),
            text=q.text("q", max_length=50),
        )

    @property
    def any(self) -> bool:
        return any((self.kind, self.status, self.year, self.text))


def event_list(actor: Actor, filters: EventFilters) -> QuerySet[Event]:
    qs = _related(events_visible_to(actor))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    if filters.text:
        qs = qs.filter(Q(title__icontains=filters.text) | Q(place__icontains=filters.text))
    return qs.order_by("-held_on", "-id")


# What a row of the events list shows.
LIST_COLUMNS = (
    "code",
    "title",
    "kind",
    "held_on",
    "status",
    "registered_count",
    "capacity",
    "organiser__name",
    "organiser__short_name",
)


def event_rows(actor: Actor, filters: EventFilters) -> QuerySet[Event]:
    """``event_list`` with only what a row of the list shows: reading the events' wide rows
    and their three bodies cost more than finding them."""
    qs = event_list(actor, filters).select_related(None).select_related("organiser")
    return qs.only(*LIST_COLUMNS)


def registrations_of(event: Event) -> list[Registration]:
    return list(
        event.registrations.select_related("collective__body").order_by(
            "status", "collective__sort_key", "id"
        )
    )


def invitations_of(event: Event) -> list[Invitation]:
    return list(event.invitations.select_related("body", "collective").order_by("id"))


def is_invited(event: Event, collective: Collective) -> bool:
    """Invited itself, or through its body or any body above it."""
    above = Organisation.objects.containing(collective.body.path).values("id")
    return event.invitations.filter(Q(collective_id=collective.id) | Q(body_id__in=above)).exists()


def unregistered_invitees(event: Event) -> QuerySet[Collective]:
    """The invited collectives (directly, or through an invited body or one above theirs) not
    registered yet."""
    invited = Q(id__in=event.invitations.filter(collective__isnull=False).values("collective_id"))
    paths = event.invitations.filter(body__isnull=False).values_list("body__path", flat=True)
    invited |= Q(body_id__in=Organisation.objects.in_subtrees(list(paths)).values("id"))
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).values("collective_id")
    return Collective.objects.filter(invited).exclude(id__in=taken)


def registrable_collectives(actor: Actor, event: Event) -> QuerySet[Collective]:
    """The collectives the actor may register for this event: invited, not registered yet,
    in its reach."""
    from qnwmh.core.scope import in_scope

    qs = unregistered_invitees(event)
    return in_scope(qs, actor, body="body", collective="id").order_by("sort_key")


def appraisal_items() -> list[AppraisalItem]:
    return list(AppraisalItem.objects.filter(active=True))


def sides_for(actor: Actor, event: Event) -> list[Collective]:
    """The sides of a mutual visit the actor may appraise for (body admins of both: both)."""
    return [
        c
        for c in (event.host, event.guest)
        if c is not None
        and (actor.is_city_admin or c.id in actor.collective_ids or c.body_id in actor.body_ids)
    ]


PANEL_SIZE = 10


def collective_events(collective: Collective) -> list[Registration]:
    """A collective's latest events (registered or attended), for its office page: one query."""
    return list(
        Registration.objects.filter(collective=collective, status=RegistrationStatus.REGISTERED)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("-event__held_on", "-id")[:PANEL_SIZE]
    )
