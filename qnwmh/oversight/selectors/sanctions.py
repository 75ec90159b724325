"""Reads of the sanctions part, scoped by the actor: sanctions (city and the bodies over the
collective), rectification orders (also the collective's own managers) and a title's history
(what its managers may see of it: no pending or withdrawn proposals, no covert visit before
it is closed, no inspectors' files)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.oversight.models import (
    Basis,
    CaseStatus,
    Exit,
    Rectification,
    RectificationStatus,
    ReviewCase,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Visit,
    VisitStatus,
)

# Sanctions ------------------------------------------------------------------------------------


def sanctions_visible_to(actor: Actor) -> QuerySet[Sanction]:
    """The city all; a body admin its subtree's collectives'; nobody else (managers see their
    imposed sanctions on the title's history page)."""
    if not (actor.is_city_admin or actor.is_body_admin):
        return Sanction.objects.none()
    return in_scope(Sanction.objects.all(), actor, body="collective__body_id")


@dataclass(frozen=True)
class SanctionFilters:
    kind: str = ""
    status: str = ""
    basis: str = ""
    body: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> SanctionFilters:
        q = Query(data)
        return cls(
            kind=q.choice("kind", SanctionKind.values),
            status=q.choice("status", SanctionStatus.values),
            basis=q.choice("basis", Basis.values),
            body=q.number("body"),
            year=q.number("year", low=2000, high=2100),
        )

    def apply(self, qs: QuerySet[Sanction]) -> QuerySet[Sanction]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.basis:
            qs = qs.filter(basis=self.basis)
        if self.body:
            qs = qs.filter(collective__body_id=self.body)
        if self.year:
            qs = qs.filter(proposed_at__year=self.year)
        return qs

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def sanction_list(actor: Actor, filters: SanctionFilters | None = None) -> QuerySet[Sanction]:
    qs = (filters or SanctionFilters()).apply(sanctions_visible_to(actor))
    return qs.select_related("collective__body", "title").order_by("-proposed_at", "-id")


# What a row of the sanctions page shows: the title joined for the exports and the API, and
# the notes and reasons, are never read there.
SANCTION_LIST_COLUMNS = (
    "id",
    "code",
    "kind",
    "category",
    "status",
    "basis",
    "proposed_at",
    "collective__name",
    "collective__body__name",
)


def sanction_rows(actor: Actor, filters: SanctionFilters) -> QuerySet[Sanction]:
    """The sanctions page's rows: ``sanction_list`` with only the columns a row shows."""
    return (
        sanction_list(actor, filters)
        .select_related(None)
        .select_related("collective__body")
        .only(*SANCTION_LIST_COLUMNS)
    )


def sanction_detail(actor: Actor, code: str) -> Sanction:
    return get_object_or_404(
        sanctions_visible_to(actor).select_related(
            "collective__body",
            "title",
            "case__review",
            "visit",
            "complaint",
            "rectification",
            "proposed_by",
            "decided_by",
        ),
        code=code,
    )


def filter_bodies(actor: Actor) -> list[Any]:
    """The bodies a body filter may offer (none when there is only one to choose)."""
    from qnwmh.collectives.selectors import filter_choices

    return list(filter_choices(actor, ("bodies",))["bodies"])


def sanction_years() -> list[int]:
    return sorted({d.year for d in Sanction.objects.dates("proposed_at", "year")}, reverse=True)


# Rectification ----------------------------------------------------------------------------------

RECTIFICATION_STATES = ("overdue", "late")


def rectifications_visible_to(actor: Actor) -> QuerySet[Rectification]:
    return in_scope(
        Rectification.objects.all(), actor, body="collective__body_id", collective="collective_id"
    )


@dataclass(frozen=True)
class RectificationFilters:
    status: str = ""
    state: str = ""  # overdue | late
    body: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> RectificationFilters:
        q = Query(data)
        return cls(
            status=q.choice("status", RectificationStatus.values),
            state=q.choice("state", RECTIFICATION_STATES),
            body=q.number("body"),
        )

    def apply(
        self, qs: QuerySet[Rectification], today: datetime.date | None = None
    ) -> QuerySet[Rectification]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.state == "overdue":
            today = today or timezone.localdate()
            qs = qs.filter(status=RectificationStatus.ORDERED, due_on__lt=today)
        elif self.state == "late":
            qs = qs.filter(late=True)
        if self.body:
            qs = qs.filter(collective__body_id=self.body)
        return qs

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v}


def rectification_list(
    actor: Actor, filters: RectificationFilters | None = None
) -> QuerySet[Rectification]:
    qs = (filters or RectificationFilters()).apply(rectifications_visible_to(actor))
    return qs.select_related("collective__body", "title").order_by("-ordered_at", "-id")


def rectification_detail(actor: Actor, code: str) -> Rectification:
    return get_object_or_404(
        rectifications_visible_to(actor).select_related(
            "collective__body", "title", "case__review", "visit", "complaint", "sanction"
        ),
        code=code,
    )


# Titles and their history ----------------------------------------------------------------------


def titles_visible_to(actor: Actor) -> QuerySet[Title]:
    return in_scope(
        Title.objects.all(), actor, body="collective__body_id", collective="collective_id"
    )


def title_detail(actor: Actor, code: str) -> Title:
    return get_object_or_404(titles_visible_to(actor).select_related("collective__body"), code=code)


def _reference_models() -> dict[str, tuple[str, type[Any]]]:
    """What a basis's reference code names, and the service argument it fills."""
    from qnwmh.supervision.models import Complaint

    return {
        Basis.REVIEW_CASE: ("case", ReviewCase),
        Basis.SPOT_CHECK: ("visit", Visit),
        Basis.COMPLAINT: ("complaint", Complaint),
        Basis.RECTIFICATION: ("rectification", Rectification),
    }


def references(actor: Actor, title: Title, basis: str, code: str) -> dict[str, Any]:
    """The case, visit, complaint or rectification a reference code names for ``basis``, as
    the service's keyword. It must concern the title's collective, which the actor reaches
    (the title was loaded through its scope); anything else is "not found"."""
    code = (code or "").strip().upper()
    models = _reference_models()
    if not code or basis not in models:
        return {}
    name, model = models[basis]
    found = model.objects.filter(code=code, collective_id=title.collective_id).first()
    if found is None:
        raise DomainError(_("未找到该集体的此编号记录。"), field="reference")
    return {name: found}


@dataclass(frozen=True)
class Event:
    at: datetime.datetime
    kind: Any  # a label: "年度复核", "走访", …
    text: str
    status: Any
    link: str = ""


def _midnight(day: datetime.date | None, fallback: datetime.datetime) -> datetime.datetime:
    if day is None:
        return fallback
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _manager_only(actor: Actor, title: Title) -> bool:
    return not (actor.is_city_admin or title.collective.body_id in actor.body_ids)


def history(actor: Actor, title: Title) -> list[Event]:
    """Everything oversight did to ``title``, oldest first: review cases, visits, sanctions,
    rectifications and the exit (five queries)."""
    manager = _manager_only(actor, title)
    events: list[Event] = []
    cases = ReviewCase.objects.filter(title=title).select_related("review")
    for c in cases.exclude(status=CaseStatus.EXEMPT) if manager else cases:
        events.append(
            Event(
                c.decided_at or c.review.opened_at,
                _("年度复核"),
                str(c.review) + (f" · {c.get_outcome_display()}" if c.outcome else ""),
                c.get_status_display(),
                reverse("oversight:review_case", args=[c.code]),
            )
        )
    visits = Visit.objects.filter(title=title)
    if manager:  # a covert visit stays unknown to the collective until it is closed
        visits = visits.filter(Q(covert=False) | Q(status=VisitStatus.CLOSED))
    for v in visits:
        label = _("暗访") if v.covert else _("走访")
        text = v.get_reason_display() + (f" · {v.get_result_display()}" if v.result else "")
        at = _midnight(v.visited_on or v.planned_on, v.created_at)
        events.append(
            Event(
                at, label, text, v.get_status_display(), reverse("oversight:visit", args=[v.code])
            )
        )
    sanctions = Sanction.objects.filter(title=title)
    if manager:
        sanctions = sanctions.filter(status=SanctionStatus.IMPOSED)
    for s in sanctions:
        text = s.get_kind_display()
        if s.category:
            text += f"（{s.get_category_display()}）"
        if s.stars_before is not None and s.stars_after != s.stars_before:
            text += f" · {s.stars_before}★ → {s.stars_after}★"
        events.append(
            Event(
                s.decided_at or s.proposed_at,
                _("处理"),
                text,
                s.get_status_display(),
                "" if manager else reverse("oversight:sanction", args=[s.code]),
            )
        )
    for r in Rectification.objects.filter(title=title):
        events.append(
            Event(
                r.ordered_at,
                _("整改"),
                str(_("期限 %(due)s") % {"due": r.due_on.isoformat()}),
                r.get_status_display(),
                reverse("oversight:rectification", args=[r.code]),
            )
        )
    for e in Exit.objects.filter(title=title):
        events.append(
            Event(_midnight(e.on, e.recorded_at), _("退出"), e.reason, e.get_kind_display())
        )
    return sorted(events, key=lambda e: e.at)
