"""Scoped reads for scoring. A reviewer reaches a sheet only through a live assignment of
theirs while the round is in review (``selectors.open_assignments_of``); a chair and a
secretary reach their panel's sheets; staff read results through ``applications_visible_to``.
Anything outside scope answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from qnwmh.certification.conflicts import conflicts_between
from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    Assignment,
    CertificationRound,
    DefenceSession,
    Panel,
    RoundStatus,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.selectors import applications_visible_to, open_assignments_of
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query

_ASSIGNMENT_RELATED = (
    "application__round__cycle",
    "application__collective",
    "application__body",
    "application__town",
    "reviewer__user",
)


def my_assignment(actor: Actor, code: str) -> Assignment:
    """The reviewer's own live assignment in a round under review, not conflicted since it
    was made (e.g. an employer changed), else 404."""
    assignment = get_object_or_404(
        open_assignments_of(actor).select_related(*_ASSIGNMENT_RELATED), code=code
    )
    if conflicts_between(assignment.reviewer, assignment.application):
        raise Http404
    return assignment


def my_assignments(actor: Actor) -> QuerySet[Assignment]:
    """The reviewer's scoring list: live assignments with their sheets (three queries)."""
    # Only what the list shows; ordered by the deadline, then the order assigned (a sort on
    # Chinese names costs more than the rest of the query, see bench/RESULTS.md).
    return (
        open_assignments_of(actor)
        .select_related("application__collective", "application__town")
        .only(
            "id",
            "code",
            "due_on",
            "status",
            "application",
            "application__code",
            "application__collective",
            "application__collective__name",
            "application__town",
            "application__town__name",
        )
        .prefetch_related(
            Prefetch(
                "sheets",
                # No ordering: the default one joins the application for nothing.
                queryset=ScoreSheet.objects.only(
                    "id", "assignment_id", "score_set", "status", "total"
                ).order_by(),
            )
        )
        .order_by("due_on", "id")
    )


def _panels_of(actor: Actor, *, as_chair: bool, as_secretary: bool) -> QuerySet[Panel]:
    if actor.user is None:
        return Panel.objects.none()
    cond = Q(pk__in=[])
    if as_chair:
        cond |= Q(chair__user=actor.user)
    if as_secretary:
        cond |= Q(secretary=actor.user)
    return Panel.objects.filter(cond)


def panels_visible_to(actor: Actor) -> QuerySet[Panel]:
    """City staff see every panel; a chair or secretary sees their own."""
    if actor.is_city_admin:
        return Panel.objects.all()
    return _panels_of(actor, as_chair=True, as_secretary=True)


def panel_detail(actor: Actor, code: str) -> Panel:
    return get_object_or_404(
        panels_visible_to(actor).select_related("round__cycle", "area", "chair__user"), code=code
    )


def _in_panels(panels: QuerySet[Panel], prefix: str) -> Q:
    """Rows whose application is in one of ``panels`` (same round and area)."""
    cond = Q(pk__in=[])
    for round_id, area_id in panels.values_list("round_id", "area_id"):
        cond |= Q(**{f"{prefix}round_id": round_id, f"{prefix}area_id": area_id})
    return cond


def paper_assignment(actor: Actor, code: str) -> Assignment:
    """A live assignment of a round under review, for city staff or its panel's secretary."""
    qs = Assignment.objects.filter(
        status__in=LIVE_ASSIGNMENT_STATUSES, application__round__status=RoundStatus.REVIEW
    )
    if not actor.is_city_admin:
        qs = qs.filter(
            _in_panels(_panels_of(actor, as_chair=False, as_secretary=True), "application__")
        )
    return get_object_or_404(qs.select_related(*_ASSIGNMENT_RELATED), code=code)


def reopenable_sheet(actor: Actor, code: str) -> ScoreSheet:
    """A sheet city staff or the application's panel chair may act on."""
    qs = ScoreSheet.objects.all()
    if not actor.is_city_admin:
        qs = qs.filter(
            _in_panels(_panels_of(actor, as_chair=True, as_secretary=False), "application__")
        )
    return get_object_or_404(
        qs.select_related("application__round", "assignment", "reviewer__user"), code=code
    )


def panel_sheets(panel: Panel) -> QuerySet[Assignment]:
    """The panel's live assignments with their sheets, by application."""
    return (
        Assignment.objects.filter(
            application__round_id=panel.round_id,
            application__area_id=panel.area_id,
            status__in=LIVE_ASSIGNMENT_STATUSES,
        )
        .select_related("application__collective", "reviewer__user")
        .prefetch_related("sheets")
        .order_by("application__collective__name", "application_id", "reviewer__user__first_name")
    )


def peer_sheets(assignment: Assignment, score_set: str) -> list[ScoreSheet] | None:
    """Other reviewers' submitted sheets of the same application and set, or None while the
    reviewer's own sheet of that set is not submitted (no anchoring on others' scores)."""
    own = ScoreSheet.objects.filter(
        assignment=assignment, score_set=score_set, status=SheetStatus.SUBMITTED
    ).exists()
    if not own:
        return None
    return list(
        ScoreSheet.objects.filter(
            application_id=assignment.application_id,
            score_set=score_set,
            status=SheetStatus.SUBMITTED,
            assignment__status__in=LIVE_ASSIGNMENT_STATUSES,
        )
        .exclude(assignment=assignment)
        .select_related("reviewer__user")
        .order_by("submitted_at", "id")
    )


# Staff lists -------------------------------------------------------------------------------


def round_of(actor: Actor, code: str) -> CertificationRound:
    """Rounds are not scoped by body; the permission (checked first) decides who reads."""
    return get_object_or_404(CertificationRound.objects.select_related("cycle"), code=code)


def totals_shown(actor: Actor, r: CertificationRound) -> bool:
    """Body admins see their applications' scores only once scoring has closed, so nobody
    lobbies reviewers with running totals; city staff always."""
    return actor.is_city_admin or r.status == RoundStatus.CLOSED


@dataclass(frozen=True)
class ScoreFilters:
    q: str = ""
    body: int | None = None
    town: int | None = None
    area: int | None = None
    divergent: bool = False

    @classmethod
    def from_query(cls, params: Any) -> ScoreFilters:
        query = Query(params)
        return cls(
            q=query.text("q"),
            body=query.number("body"),
            town=query.number("town"),
            area=query.number("area"),
            divergent=query.choice("divergent", ["1"]) == "1",
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "body": self.body,
            "town": self.town,
            "area": self.area,
            "divergent": "1" if self.divergent else "",
        }


def score_rows(actor: Actor, r: CertificationRound, filters: ScoreFilters) -> QuerySet[Application]:
    """Recommended applications of the round in the actor's scope with their result; the
    best combined score first, unscored last."""
    qs = applications_visible_to(actor).filter(round=r, status=ApplicationStatus.RECOMMENDED)
    if filters.q:
        qs = qs.filter(collective__name__icontains=filters.q)
    if filters.body:
        qs = qs.filter(body__path__startswith=_path_of(filters.body))
    if filters.town:
        qs = qs.filter(town_id=filters.town)
    if filters.area:
        qs = qs.filter(area_id=filters.area)
    if filters.divergent and totals_shown(actor, r):
        qs = qs.filter(result__divergent=True)
    return qs.select_related("collective", "body", "town", "area", "result").order_by(
        "-result__combined", "collective__name", "id"
    )


def _path_of(body_id: int) -> str:
    from qnwmh.orgs.models import Organisation

    path = Organisation.objects.filter(pk=body_id).values_list("path", flat=True).first()
    # An unknown body narrows to nothing.
    return path or "\0"


def scored_application(actor: Actor, round_code: str, code: str) -> Application:
    return get_object_or_404(
        applications_visible_to(actor).select_related(
            "round__cycle", "collective", "body", "town", "area"
        ),
        round__code=round_code,
        code=code,
    )


def sheets_of(app: Application) -> dict[str, list[ScoreSheet]]:
    """The application's sheets of live assignments, by set."""
    out: dict[str, list[ScoreSheet]] = {s: [] for s in ScoreSet.values}
    for sheet in (
        ScoreSheet.objects.filter(application=app, assignment__status__in=LIVE_ASSIGNMENT_STATUSES)
        .select_related("reviewer__user", "scan")
        .order_by("score_set", "id")
    ):
        out[sheet.score_set].append(sheet)
    return out


# Defence sessions ------------------------------------------------------------------------------


def sessions_of(r: CertificationRound) -> QuerySet[DefenceSession]:
    return (
        DefenceSession.objects.filter(round=r)
        .select_related("panel__area")
        .order_by("starts_at", "id")
    )


def session_detail(actor: Actor, code: str) -> DefenceSession:
    qs = DefenceSession.objects.select_related("round__cycle", "panel__area", "panel__chair")
    if not actor.is_city_admin:
        qs = qs.filter(panel__in=panels_visible_to(actor))
    return get_object_or_404(qs, code=code)


def printable_assignment(actor: Actor, code: str) -> Assignment:
    """The reviewer's own assignment, or one the actor enters paper sheets for."""
    own = open_assignments_of(actor).select_related(*_ASSIGNMENT_RELATED).filter(code=code).first()
    if own is not None:
        return my_assignment(actor, code)
    return paper_assignment(actor, code)
