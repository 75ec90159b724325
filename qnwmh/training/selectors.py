"""Reads of leader training, scoped by the actor.

*Required leaders* of a cycle, for an organiser: the current leader (号长) of every collective
creating in the cycle (a counted registration, or an active title: ``creation.CreationMember``)
whose body is in the organiser's subtree (the city: all). A leader is *trained* in a cycle
when an invitation of a session of that cycle for that leader was checked in and the
collective passed the session's test; coverage is trained ÷ required per body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qnwmh.collectives.models import Member
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import as_choice, as_text
from qnwmh.core.scope import in_scope
from qnwmh.creation.models import CreationMember
from qnwmh.cycles.models import Cycle, Phase
from qnwmh.knowledge.models import Attempt
from qnwmh.orgs.models import Organisation
from qnwmh.training.models import Invitation, Session, SessionStatus
from qnwmh.training.testing import CHECKIN_EARLY


def checkin_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - CHECKIN_EARLY, session.ends_at


# Sessions -------------------------------------------------------------------------------------


def sessions_visible_to(actor: Actor) -> QuerySet[Session]:
    """City admins all; body admins the sessions their bodies organise or invite to; managers
    the sessions their collectives are invited to."""
    qs = Session.objects.select_related("organiser", "cycle")
    if actor.is_city_admin:
        return qs
    invited = in_scope(
        Invitation.objects.filter(session=OuterRef("pk")),
        actor,
        body="body_id",
        collective="collective_id",
    )
    return qs.filter(Q(organiser_id__in=actor.body_ids) | Exists(invited))


@dataclass(frozen=True)
class SessionFilters:
    cycle: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> SessionFilters:
        return cls(
            cycle=as_text(params.get("cycle"), max_length=12),
            status=as_choice(params.get("status"), SessionStatus.values),
            q=as_text(params.get("q")),
        )


def session_list(actor: Actor, filters: SessionFilters) -> QuerySet[Session]:
    qs = sessions_visible_to(actor)
    if filters.cycle:
        qs = qs.filter(cycle__code=filters.cycle)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(place__icontains=filters.q))
    return qs.order_by("-starts_at", "-id")


def session_detail(actor: Actor, code: str) -> Session:
    return get_object_or_404(sessions_visible_to(actor), code=code)


def session_by_token(actor: Actor, token: str) -> Session:
    """The session whose QR code holds ``token``: the token is the proof of being at the
    venue, so any signed-in person may open it (whether they may check in is the service's)."""
    return get_object_or_404(
        Session.objects.select_related("organiser", "exam"), checkin_token=token
    )


def invitations_of(actor: Actor, session: Session, *, everyone: bool) -> QuerySet[Invitation]:
    """The session's invitations: all for its organisers (``everyone``), else those of the
    actor's bodies and collectives."""
    qs = session.invitations.select_related("collective", "body").order_by("body__name", "id")
    return qs if everyone else in_scope(qs, actor, body="body_id", collective="collective_id")


def passed_q() -> Exists:
    """The invitation's collective passed its session's test."""
    return Exists(
        Attempt.objects.filter(
            exam_id=OuterRef("session__exam_id"),
            collective_id=OuterRef("collective_id"),
            passed=True,
        )
    )


def with_completion(qs: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return qs.annotate(passed=passed_q())


def invitation_detail(actor: Actor, code: str, invitation_id: int) -> Invitation:
    session = session_detail(actor, code)
    organises = actor.is_city_admin or session.organiser_id in actor.body_ids
    qs = invitations_of(actor, session, everyone=organises)
    found: Invitation = get_object_or_404(
        with_completion(qs).select_related("session", "collective", "session__organiser"),
        pk=invitation_id,
    )
    return found


def my_open_invitations(actor: Actor) -> QuerySet[Invitation]:
    """The actor's collectives' invitations to scheduled sessions not yet ended or checked in."""
    if not actor.collective_ids:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        collective_id__in=actor.collective_ids,
        checked_in_at__isnull=True,
        session__status=SessionStatus.SCHEDULED,
        session__ends_at__gt=timezone.now(),
    ).select_related("session")


# Who must attend, who is trained --------------------------------------------------------------


def trained_member_ids(cycle: Cycle) -> QuerySet[Invitation, Any]:
    return (
        Invitation.objects.filter(
            session__cycle=cycle,
            session__status=SessionStatus.SCHEDULED,
            checked_in_at__isnull=False,
        )
        .filter(passed_q())
        .values("member_id")
    )


def required_leaders(cycle: Cycle, organiser: Organisation | None = None) -> QuerySet[Member]:
    creating = CreationMember.objects.filter(cycle=cycle)
    if organiser is not None and organiser.kind != Organisation.Kind.CITY:
        bodies = Organisation.objects.in_subtrees([organiser.path]).values("id")
        creating = creating.filter(body_id__in=bodies)
    return Member.objects.current().filter(
        is_leader=True, collective_id__in=creating.values("collective_id")
    )


@dataclass(frozen=True)
class CoverageRow:
    body_id: int
    body: str
    required: int
    trained: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.trained, self.required) if self.required else Fraction(1)

    @property
    def percent(self) -> str:
        return f"{float(self.share) * 100:.1f}%"


def coverage_by_body(cycle: Cycle, body_ids: Any = None) -> dict[int, tuple[int, int]]:
    """``{body_id: (required, trained)}`` over the cycle, in one query."""
    leaders = required_leaders(cycle)
    if body_ids is not None:
        leaders = leaders.filter(collective__body_id__in=body_ids)
    rows = (
        leaders.values("collective__body_id")
        .annotate(
            required=Count("id"),
            trained=Count("id", filter=Q(id__in=trained_member_ids(cycle))),
        )
        .order_by()
    )
    return {r["collective__body_id"]: (r["required"], r["trained"]) for r in rows}


def coverage(actor: Actor, cycle: Cycle) -> list[CoverageRow]:
    """One row per body in the actor's scope with leaders to train, by name."""
    bodies = in_scope(Organisation.objects.bodies(), actor, body="id")
    counts = coverage_by_body(cycle, None if actor.is_city_admin else actor.body_ids)
    names = dict(bodies.filter(id__in=counts).values_list("id", "name"))
    rows = [CoverageRow(b, names[b], *counts[b]) for b in counts if b in names]
    return sorted(rows, key=lambda r: r.body)


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    return CoverageRow(0, "", sum(r.required for r in rows), sum(r.trained for r in rows))


def cycles_for_coverage() -> QuerySet[Cycle]:
    return Cycle.objects.exclude(phase=Phase.DRAFT).order_by("-session_no")


def default_coverage_cycle() -> Cycle | None:
    """The newest cycle holding a session, else the newest opened one."""
    cycles = cycles_for_coverage()
    return cycles.filter(id__in=Session.objects.values("cycle_id")).first() or cycles.first()


def cycle_for_year(year: int) -> Cycle | None:
    """The cycle a year's training counts in: the newest opened cycle registering by then."""
    return cycles_for_coverage().filter(registration_year__lte=year).first()


def organiser_choices(actor: Actor) -> QuerySet[Organisation]:
    return in_scope(Organisation.objects.all(), actor, body="id").order_by("path")


def attendance_counts(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{session_id: (invited, checked in)}`` in one query."""
    if not session_ids:
        return {}
    rows = (
        Invitation.objects.filter(session_id__in=session_ids)
        .values("session_id")
        .annotate(n=Count("id"), checked=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by()
    )
    return {r["session_id"]: (r["n"], r["checked"]) for r in rows}
