"""Reads of partnerships, scoped by the actor: the city sees everything; a body the projects
and pairs it proposed or that touch its subtree's collectives; a manager those of its own
collectives. Outside that scope a project or pair is "not found"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.collectives.models import Collective, Title
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope, scope_q
from qnwmh.cycles.models import Cycle, Registration
from qnwmh.partnerships.models import (
    JointCreation,
    MentorPair,
    Milestone,
    PairActivity,
    Status,
)

# Projects -------------------------------------------------------------------------------------

Partner = JointCreation.partners.through


def projects_visible_to(actor: Actor) -> QuerySet[JointCreation]:
    qs = JointCreation.objects.all()
    if actor.is_city_admin:
        return qs
    through = scope_q(actor, body="collective__body_id", collective="collective_id")
    condition = Q(body_id__in=actor.body_ids) if actor.body_ids else Q(pk__in=[])
    if through is not None:
        reached = Partner.objects.filter(through, jointcreation_id=OuterRef("pk"))
        condition |= Q(Exists(reached))
    return qs.filter(condition)


# Milestone evidence and pair-activity photos are stored under the one partner who uploaded
# them, but every party reading the project or the pair (other partners, the proposing body)
# may open them: these are ``evidence.selectors.SHARED_FILES`` hooks.


def milestone_files(actor: Actor) -> QuerySet[Any]:
    """Ids of the evidence of the milestones of the projects the actor sees."""
    return Milestone.evidence.through.objects.filter(
        milestone__project__in=projects_visible_to(actor).values("pk")
    ).values("evidencefile_id")


def activity_files(actor: Actor) -> QuerySet[Any]:
    """Ids of the photos of the activities of the pairs the actor sees."""
    return PairActivity.photos.through.objects.filter(
        pairactivity__pair__in=pairs_visible_to(actor).values("pk")
    ).values("evidencefile_id")


@dataclass(frozen=True)
class Filters:
    status: str = ""
    body: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        query = Query(data)
        return cls(
            status=query.choice("status", Status.values),
            body=query.number("body"),
            q=query.text("q", max_length=50),
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def _partners() -> Prefetch[Any]:
    return Prefetch("partners", queryset=Collective.objects.select_related("body").order_by("id"))


def project_list(actor: Actor, filters: Filters | None = None) -> QuerySet[JointCreation]:
    f = filters or Filters()
    qs = projects_visible_to(actor)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    return qs.select_related("body").prefetch_related(_partners()).order_by("-proposed_at", "-id")


def project_detail(actor: Actor, code: str) -> JointCreation:
    qs = projects_visible_to(actor).select_related("body", "proposed_by", "decided_by")
    return get_object_or_404(qs.prefetch_related(_partners()), code=code)


def milestone_of(project: JointCreation, number: int) -> Milestone:
    return get_object_or_404(Milestone.objects.filter(project=project), number=number)


# Pairs ----------------------------------------------------------------------------------------


def pairs_visible_to(actor: Actor) -> QuerySet[MentorPair]:
    return in_scope(
        MentorPair.objects.all(),
        actor,
        body=("body_id", "mentor__body_id", "mentee__body_id"),
        collective=("mentor_id", "mentee_id"),
    )


def pair_list(actor: Actor, filters: Filters | None = None) -> QuerySet[MentorPair]:
    f = filters or Filters()
    qs = pairs_visible_to(actor)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.body:
        qs = qs.filter(body_id=f.body)
    if f.q:
        qs = qs.filter(Q(mentor__name__icontains=f.q) | Q(mentee__name__icontains=f.q))
    return qs.select_related("body", "mentor__body", "mentee__body", "cycle").order_by(
        "-proposed_at", "-id"
    )


def pair_detail(actor: Actor, code: str) -> MentorPair:
    qs = pairs_visible_to(actor).select_related(
        "body", "mentor__body", "mentee__body", "cycle", "proposed_by", "decided_by"
    )
    return get_object_or_404(qs, code=code)


# Choices for the proposal forms ------------------------------------------------------------------


def titled_collectives() -> QuerySet[Collective]:
    """Collectives holding a title in force: partners and mentors come from the whole city."""
    return Collective.objects.filter(
        Exists(Title.objects.active().filter(collective=OuterRef("pk")))
    ).order_by("sort_key", "id")


def registered_collectives(cycle: Cycle) -> QuerySet[Collective]:
    return Collective.objects.filter(
        Exists(Registration.objects.counted(cycle).filter(collective=OuterRef("pk")))
    ).order_by("sort_key", "id")


def filter_bodies(actor: Actor) -> list[Any]:
    from qnwmh.collectives.selectors import filter_choices

    return list(filter_choices(actor, ("bodies",))["bodies"])


# A collective's panels ----------------------------------------------------------------------------


def projects_of(collective: Collective, *, confirmed_only: bool) -> list[JointCreation]:
    qs = JointCreation.objects.filter(partners=collective)
    qs = qs.filter(status__in=(Status.ACTIVE, Status.CLOSED)) if confirmed_only else qs
    return list(qs.prefetch_related(_partners()).order_by("-proposed_at", "-id")[:20])


def pairs_of(collective: Collective, *, confirmed_only: bool) -> list[MentorPair]:
    qs = MentorPair.objects.filter(Q(mentor=collective) | Q(mentee=collective))
    qs = qs.filter(status__in=(Status.ACTIVE, Status.CLOSED)) if confirmed_only else qs
    return list(qs.select_related("mentor", "mentee").order_by("-proposed_at", "-id")[:20])
