"""Reads of the reviewers part: the pool, areas, panels and assignments for city staff, and the
reviewer's own workspace (home and the read-only dossier of an assigned application).

Staff lookups here are for city admins (the views refuse everyone else before loading). The
reviewer's lookups go through ``selectors.applications_for_reviewer`` and then drop an
application the reviewer conflicts with: such an application answers 404 to them, whatever
assignment row may still exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from qnwmh.certification.conflicts import conflicts_between
from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentDraw,
    AssignmentStatus,
    CertificationRound,
    ConflictDeclaration,
    Panel,
    ReviewArea,
    Reviewer,
    RoundStatus,
    SelfAssessment,
)
from qnwmh.certification.selectors import applications_for_reviewer, reviewer_of
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.creation.models import CreationPlan, LogEntry, PlanVersion
from qnwmh.evidence.models import EvidenceFile

# City staff -----------------------------------------------------------------------------------


def areas() -> QuerySet[ReviewArea]:
    return ReviewArea.objects.prefetch_related("towns").annotate(
        n_reviewers=Count("reviewers", filter=Q(reviewers__active=True), distinct=True)
    )


def area_detail(actor: Actor, code: str) -> ReviewArea:
    return get_object_or_404(ReviewArea, code=code)


@dataclass(frozen=True)
class PoolFilters:
    area: str = ""
    active: str = "1"
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> PoolFilters:
        query = Query(params)
        return cls(
            area=query.text("area", max_length=12),
            active=query.choice("active", ["1", "0", "all"]) or "1",
            q=query.text("q"),
        )


def reviewer_list(filters: PoolFilters) -> QuerySet[Reviewer]:
    qs = Reviewer.objects.select_related("user", "body", "town").prefetch_related("areas")
    if filters.active != "all":
        qs = qs.filter(active=filters.active == "1")
    if filters.area:
        qs = qs.filter(areas__code=filters.area)
    if filters.q:
        qs = qs.filter(
            Q(user__first_name__contains=filters.q)
            | Q(user__username__contains=filters.q)
            | Q(employer__contains=filters.q)
            | Q(expertise__contains=filters.q)
        )
    return qs.distinct()


def reviewer_detail(actor: Actor, code: str) -> Reviewer:
    return get_object_or_404(Reviewer.objects.select_related("user"), code=code)


def round_detail(actor: Actor, code: str) -> CertificationRound:
    return get_object_or_404(CertificationRound.objects.select_related("cycle"), code=code)


def round_area(actor: Actor, code: str, area: str) -> tuple[CertificationRound, ReviewArea]:
    return round_detail(actor, code), area_detail(actor, area)


def staff_assignment(actor: Actor, code: str) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("application__round", "reviewer__user"), code=code
    )


def round_application(actor: Actor, code: str, app: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related("round__cycle", "collective", "area"),
        round__code=code,
        code=app,
    )


@dataclass
class AreaOverview:
    area: ReviewArea
    panel: Panel | None
    recommended: int = 0
    short: int = 0  # recommended applications with fewer live assignments than the rules ask
    draws: list[AssignmentDraw] = field(default_factory=list)


def round_overview(rnd: CertificationRound) -> list[AreaOverview]:
    """Per active area: its panel, recommended applications and how many still need
    reviewers. A fixed number of queries whatever the number of areas."""
    per_app = int(rnd.cycle.rule("reviewers_per_application"))
    panels = {
        p.area_id: p
        for p in Panel.objects.filter(round=rnd)
        .select_related("chair__user", "secretary")
        .prefetch_related("members__user")
    }
    rows = (
        Application.objects.filter(round=rnd, status=ApplicationStatus.RECOMMENDED)
        .values("id", "area_id")
        .annotate(
            live=Count("assignments", filter=Q(assignments__status__in=LIVE_ASSIGNMENT_STATUSES))
        )
    )
    out = [AreaOverview(area=a, panel=panels.get(a.pk)) for a in ReviewArea.objects.all()]
    counts = {o.area.pk: o for o in out}
    for row in rows:
        overview = counts.get(row["area_id"])
        if overview is None:
            continue
        overview.recommended += 1
        overview.short += row["live"] < per_app
    for d in AssignmentDraw.objects.filter(round=rnd).select_related("created_by"):
        if d.area_id in counts:
            counts[d.area_id].draws.append(d)
    return [o for o in out if o.area.active or o.panel or o.recommended]


@dataclass(frozen=True)
class AssignmentFilters:
    area: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, params: Any) -> AssignmentFilters:
        query = Query(params)
        return cls(
            area=query.text("area", max_length=12),
            status=query.choice("status", AssignmentStatus.values),
        )


def round_assignments(rnd: CertificationRound, filters: AssignmentFilters) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(application__round=rnd).select_related(
        "application__collective", "application__area", "reviewer__user", "draw"
    )
    if filters.area:
        qs = qs.filter(application__area__code=filters.area)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("application__area__sort_order", "application__collective__name", "id")


def applications_to_assign(rnd: CertificationRound) -> QuerySet[Application]:
    """Recommended applications with their live assignment counts (for manual assignment)."""
    return (
        Application.objects.filter(round=rnd, status=ApplicationStatus.RECOMMENDED)
        .select_related("collective", "area")
        .annotate(
            live=Count("assignments", filter=Q(assignments__status__in=LIVE_ASSIGNMENT_STATUSES))
        )
        .order_by("area__sort_order", "collective__name")
    )


def candidates_for(app: Application) -> list[tuple[Reviewer, list[str]]]:
    """The area's active reviewers (the panel's first), each with its conflicts."""
    from qnwmh.certification.conflicts import conflict_map

    pool = list(
        Reviewer.objects.filter(active=True, areas=app.area)
        .select_related("user")
        .order_by("user__first_name", "id")
        if app.area
        else Reviewer.objects.none()
    )
    conflicts = conflict_map(pool, [app])
    return [(r, conflicts.get((r.pk, app.pk), [])) for r in pool]


def declarations() -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.select_related("reviewer__user", "collective")


# The reviewer's workspace ---------------------------------------------------------------------


def reviewer_home(actor: Actor) -> QuerySet[Assignment]:
    """The reviewer's live assignments in rounds under review, soonest deadline first: one
    query whatever their number."""
    reviewer = reviewer_of(actor)
    if reviewer is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            reviewer=reviewer,
            status__in=LIVE_ASSIGNMENT_STATUSES,
            application__round__status=RoundStatus.REVIEW,
        )
        .select_related("application__collective", "application__town", "application__round__cycle")
        .order_by("due_on", "status", "id")
    )


def own_assignment(actor: Actor, code: str) -> Assignment:
    """One of the reviewer's own assignments (any state), else 404."""
    reviewer = reviewer_of(actor)
    if reviewer is None:
        raise Http404
    return get_object_or_404(
        Assignment.objects.select_related("application__collective", "reviewer"),
        reviewer=reviewer,
        code=code,
    )


def dossier_application(actor: Actor, code: str) -> Application:
    """An application the reviewer is assigned to and not conflicted with, else 404."""
    app = get_object_or_404(
        applications_for_reviewer(actor).select_related(
            "round__cycle", "collective", "body", "town", "area"
        ),
        code=code,
    )
    reviewer = reviewer_of(actor)
    if reviewer is None or conflicts_between(reviewer, app):
        raise Http404
    return app


@dataclass
class Dossier:
    application: Application
    plan: PlanVersion | None
    entries: list[LogEntry]
    assessments: list[SelfAssessment]
    files: list[EvidenceFile]
    test: Any
    appraisal: dict[str, Any]


def _evidence_ids(app: Application) -> QuerySet[EvidenceFile]:
    """The files a reviewer may open: those the self-assessment links and those of the
    collective's ledger entries in the round's cycle."""
    return EvidenceFile.objects.filter(
        Q(
            pk__in=SelfAssessment.files.through.objects.filter(
                selfassessment__application=app
            ).values("evidencefile_id")
        )
        | Q(
            pk__in=LogEntry.attachments.through.objects.filter(
                logentry__collective_id=app.collective_id, logentry__cycle_id=app.round.cycle_id
            ).values("evidencefile_id")
        )
    )


def dossier_file(actor: Actor, code: str, file: str) -> EvidenceFile:
    app = dossier_application(actor, code)
    return get_object_or_404(_evidence_ids(app), code=file)


def dossier(app: Application) -> Dossier:
    cycle = app.round.cycle
    plan = CreationPlan.objects.filter(collective_id=app.collective_id, cycle=cycle).first()
    version = plan.versions.order_by("-number").first() if plan else None
    entries = list(
        LogEntry.objects.filter(collective_id=app.collective_id, cycle=cycle)
        .prefetch_related("attachments")
        .order_by("-occurred_on", "-id")
    )
    assessments = list(
        app.assessments.prefetch_related(
            Prefetch("entries", queryset=LogEntry.objects.only("code", "title", "occurred_on")),
            "files",
        )
    )
    return Dossier(
        application=app,
        plan=version,
        entries=entries,
        assessments=assessments,
        files=list(_evidence_ids(app)),
        test=_test_result(app),
        appraisal=app.appraisal or {},
    )


def _test_result(app: Application) -> Any:
    exam = app.round.exam
    if exam is None:
        return None
    from qnwmh.knowledge.selectors import results_for

    return results_for(exam, [app.collective_id]).get(app.collective_id)
