"""What the home page asks about certification: of bodies and collectives, the open round's
applications; of reviewers, invitations to answer and the score sheets still to submit (both
sets of each accepted assignment in a round under review), the ones a chair sent back first;
of city staff, recommended applications still short of reviewers."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.certification.models import (
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    AssignmentStatus,
    CertificationRound,
    RoundStatus,
    ScoreSet,
    SheetStatus,
)
from qnwmh.certification.selectors import applications_visible_to, open_assignments_of
from qnwmh.certification.selectors.applications import appliable_collectives
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.home import Tally, Task, Tasks


def tasks(actor: Actor) -> Tasks:
    yield from application_tasks(actor)
    yield from reviewer_tasks(actor)
    if actor.is_city_admin:
        yield from assignment_tasks()


def application_tasks(actor: Actor) -> Tasks:
    if not (actor.is_body_admin or actor.is_collective_manager):
        return
    r = (
        CertificationRound.objects.filter(status=RoundStatus.APPLICATIONS)
        .select_related("cycle")
        .first()
    )
    if r is None:
        return
    url = reverse("certification:applications", args=[r.code])
    manager = actor.is_collective_manager and not actor.is_staff_of_body
    counts, appliable = yield (
        Tally.aggregate(
            applications_visible_to(actor).filter(round=r),
            submitted=Count("id", filter=Q(status=ApplicationStatus.SUBMITTED)),
            returned=Count("id", filter=Q(status=ApplicationStatus.RETURNED)),
        ),
        Tally.exists(appliable_collectives(actor, r) if manager else Collective.objects.none()),
    )
    if actor.is_body_admin:
        yield Task(
            title=_("待推荐的评选认定申报"),
            count=counts["submitted"],
            url=f"{url}?status=submitted",
            tone="warn" if counts["submitted"] else "ok",
        )
    if manager:
        if appliable:
            yield Task(
                title=_("提交评选认定申报"),
                detail=_("申报截止 %(d)s") % {"d": r.applications_close_on.isoformat()},
                url=reverse("certification:application_create", args=[r.code]),
            )
        if counts["returned"]:
            yield Task(
                title=_("被退回修改的申报"),
                count=counts["returned"],
                url=f"{url}?status=returned",
                tone="warn",
            )


def reviewer_tasks(actor: Actor) -> Tasks:
    """Invitations to answer, then (once one is accepted) sheets to submit and sheets sent
    back: one query over the reviewer's open assignments."""
    if not actor.is_reviewer:
        return
    accepted = Q(status=AssignmentStatus.ACCEPTED)
    counts = yield Tally.aggregate(
        open_assignments_of(actor),
        invited=Count("id", filter=Q(status=AssignmentStatus.INVITED), distinct=True),
        assignments=Count("id", filter=accepted, distinct=True),
        submitted=Count("sheets", filter=accepted & Q(sheets__status=SheetStatus.SUBMITTED)),
        reopened=Count("sheets", filter=accepted & Q(sheets__status=SheetStatus.REOPENED)),
    )
    yield Task(
        title=_("待确认的评审邀请"),
        count=counts["invited"],
        url=reverse("certification:review_home"),
        tone="warn" if counts["invited"] else "ok",
    )
    if not counts["assignments"]:
        return
    todo = counts["assignments"] * len(ScoreSet.values) - counts["submitted"]
    url = reverse("certification:my_sheets")
    yield Task(title=_("待提交的评分表"), count=todo, url=url, tone="warn" if todo else "ok")
    if counts["reopened"]:
        yield Task(title=_("组长退回重评的评分表"), count=counts["reopened"], url=url, tone="warn")


def _short_of_reviewers(rnd: CertificationRound) -> Tally:
    per_app = int(rnd.cycle.rule("reviewers_per_application"))
    live = Count("assignments", filter=Q(assignments__status__in=LIVE_ASSIGNMENT_STATUSES))
    return Tally.count(
        Application.objects.filter(round=rnd, status=ApplicationStatus.RECOMMENDED)
        .annotate(live=live)
        .filter(live__lt=per_app)
    )


def assignment_tasks() -> Tasks:
    """One row per round under review with applications still short of reviewers (every
    round's count asked together)."""
    rounds = list(
        CertificationRound.objects.filter(status=RoundStatus.REVIEW).select_related("cycle")
    )
    if not rounds:
        return
    shorts = yield tuple(_short_of_reviewers(rnd) for rnd in rounds)
    for rnd, short in zip(rounds, shorts, strict=True):
        if short:
            yield Task(
                title=_("待分配评委的申报"),
                count=short,
                url=reverse("certification:panels", args=[rnd.code]),
                tone="warn",
            )
