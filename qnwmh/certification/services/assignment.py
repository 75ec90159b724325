"""Assigning reviewers to applications: the automatic balanced draw, manual assignment and
cancelling by city staff, the reviewer's answer to an invitation, and reminders.

The draw is a flow problem: every recommended application of an area needs N reviewers of
that area's panel (the rules' ``reviewers_per_application``), never a conflicted one, and
every panel member's load (live assignments in the area, old and new) should end within one
of the others'. ``plan`` solves it exactly with augmenting paths, in two rounds: first every
reviewer up to the floor, then up to the ceiling; if a balanced assignment exists, this finds
one (``_solve``). The order in which applications and reviewers
are tried is shuffled from the recorded seed, so the same seed over the same data gives the
same assignment.
"""

from __future__ import annotations

import datetime
import itertools
import random
import secrets
from collections import Counter, deque
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qnwmh.audit.services import log_action
from qnwmh.certification import notices
from qnwmh.certification.conflicts import conflict_map, conflicts_between, reason_labels
from qnwmh.certification.models import (
    ASSIGNMENT_TRANSITIONS,
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentDraw,
    AssignmentStatus,
    CertificationRound,
    Panel,
    ReviewArea,
    Reviewer,
    RoundStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require

# Reviewers reach their applications while the round is under review (``selectors``).
ASSIGNABLE_ROUND_STATUSES = (RoundStatus.REVIEW,)


class PoolTooSmall(DomainError):
    """Assigning more reviewers than the pool allows."""


# The planner (pure) ----------------------------------------------------------------------------

Node = tuple[str, int]
SOURCE: Node = ("s", 0)
SINK: Node = ("t", 0)


class _Flow:
    """A residual graph with unit-ish capacities and BFS augmenting paths."""

    def __init__(self) -> None:
        self.cap: dict[tuple[Node, Node], int] = {}
        self.adj: dict[Node, list[Node]] = {}

    def edge(self, u: Node, v: Node, c: int) -> None:
        if (u, v) not in self.cap:
            self.adj.setdefault(u, []).append(v)
            self.adj.setdefault(v, []).append(u)
            self.cap[(v, u)] = self.cap.get((v, u), 0)
        self.cap[(u, v)] = self.cap.get((u, v), 0) + c

    def _path(self) -> list[Node] | None:
        parent: dict[Node, Node] = {SOURCE: SOURCE}
        queue = deque([SOURCE])
        while queue:
            u = queue.popleft()
            for v in self.adj.get(u, ()):
                if v not in parent and self.cap[(u, v)] > 0:
                    parent[v] = u
                    if v == SINK:
                        path = [v]
                        while path[-1] != SOURCE:
                            path.append(parent[path[-1]])
                        return path[::-1]
                    queue.append(v)
        return None

    def saturate(self) -> int:
        pushed = 0
        while (path := self._path()) is not None:
            amount = min(self.cap[(u, v)] for u, v in itertools.pairwise(path))
            for u, v in itertools.pairwise(path):
                self.cap[(u, v)] -= amount
                self.cap[(v, u)] += amount
            pushed += amount
        return pushed


def balanced_bounds(total: int, reviewers: int) -> tuple[int, int]:
    floor, rest = divmod(total, reviewers)
    return floor, floor + (1 if rest else 0)


def _solve(
    apps: list[int],
    revs: list[int],
    demand: dict[int, int],
    allowed: dict[int, list[int]],
    loads: dict[int, int],
    lo: int,
    hi: int,
) -> dict[int, list[int]] | None:
    """An assignment with every final load in [lo, hi], or None. First every reviewer up to
    ``lo``, then up to ``hi``: augmenting paths never take flow back from a reviewer's edge to
    the sink, so nobody falls under ``lo`` in the second round."""
    if any(loads.get(r, 0) > hi for r in revs):
        return None
    flow = _Flow()
    for app in apps:
        flow.edge(SOURCE, ("a", app), demand[app])
        for r in allowed[app]:
            flow.edge(("a", app), ("r", r), 1)
    floors = {r: max(0, lo - loads.get(r, 0)) for r in revs}
    for r in revs:
        flow.edge(("r", r), SINK, floors[r])
    if flow.saturate() != sum(floors.values()):
        return None
    for r in revs:
        flow.edge(("r", r), SINK, max(0, hi - loads.get(r, 0)) - floors[r])
    flow.saturate()
    out = {app: [r for r in revs if flow.cap.get((("r", r), ("a", app)), 0) > 0] for app in apps}
    if any(len(out[app]) < demand[app] for app in apps):
        return None
    return {app: sorted(chosen) for app, chosen in out.items()}


def plan(
    demand: dict[int, int],
    reviewers: Iterable[int],
    *,
    excluded: set[tuple[int, int]],
    loads: dict[int, int] | None = None,
    seed: int,
    strict: bool = False,
) -> dict[int, list[int]]:
    """{application: [reviewers]} giving each application ``demand[app]`` distinct reviewers,
    never an ``excluded`` (reviewer, application) pair, with every reviewer's final load
    (``loads`` + new) within one of the others' whenever such an assignment exists. When none
    does (a reviewer conflicted with most of the area, a replacement for a decline), the
    bounds widen one step at a time, so the spread stays as small as this search finds; with
    ``strict`` that raises instead. Raises ``PoolTooSmall`` when no assignment exists."""
    loads = loads or {}
    rng = random.Random(seed)
    apps = sorted(a for a, n in demand.items() if n > 0)
    revs = sorted(set(reviewers))
    rng.shuffle(apps)
    rng.shuffle(revs)
    needed = sum(demand[a] for a in apps)
    if not needed:
        return {}
    allowed = {app: [r for r in revs if (r, app) not in excluded] for app in apps}
    for app in apps:
        if len(allowed[app]) < demand[app]:
            raise PoolTooSmall(
                _("可分配的评委不足：有申报只有 %(free)s 位无利益冲突的评委，需要 %(n)s 位。")
                % {"free": len(allowed[app]), "n": demand[app]}
            )
    top = needed + max(loads.values(), default=0)
    if _solve(apps, revs, demand, allowed, loads, 0, top) is None:
        raise PoolTooSmall(
            _(
                "分配的评委人次超出评审组能力：避开利益冲突后，无法为每份申报分配 %(n)s 位评委。"
                "请增加评审组成员。"
            )
            % {"n": max(demand.values())}
        )
    floor, ceil = balanced_bounds(needed + sum(loads.get(r, 0) for r in revs), len(revs))
    for slack in range(top + 1):
        found = _solve(apps, revs, demand, allowed, loads, max(0, floor - slack), ceil + slack)
        if found is not None:
            return found
        if strict:
            raise PoolTooSmall(_("无法在评委负担相差不超过 1 份的前提下完成分配。"))
    raise AssertionError("unreachable: the unbounded search found an assignment")


# The draw -------------------------------------------------------------------------------------


def _assignable_round(rnd: CertificationRound) -> None:
    if rnd.status not in ASSIGNABLE_ROUND_STATUSES:
        raise DomainError(_("评选认定当前不在评审阶段，不能分配评委。"))


def _panel_of(rnd: CertificationRound, area: ReviewArea) -> Panel:
    panel = Panel.objects.filter(round=rnd, area=area).first()
    if panel is None:
        raise DomainError(_("片区“%(area)s”尚未组建评审组。") % {"area": area.name})
    return panel


def _live_counts(apps: list[Application]) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(application__in=apps, status__in=LIVE_ASSIGNMENT_STATUSES)
        .values("application_id")
        .annotate(n=Count("id"))
    )
    return {row["application_id"]: row["n"] for row in rows}


@transaction.atomic
def draw(
    actor: Actor, *, round: CertificationRound, area: ReviewArea, seed: int | None = None
) -> AssignmentDraw:
    """Assign the panel's reviewers to every recommended application of the area that has
    fewer than N live assignments; the seed (random unless given) is recorded."""
    require(actor, "certification.manage_reviewers")
    rnd = lock(CertificationRound, round.pk)
    _assignable_round(rnd)
    panel = _panel_of(rnd, area)
    per_app = int(rnd.cycle.rule("reviewers_per_application"))
    members = list(panel.members.filter(active=True))
    if len(members) < per_app:
        raise PoolTooSmall(
            _(
                "分配的评委人数超出评审组人数：每份申报需要 %(n)s 位评委，"
                "片区“%(area)s”的评审组只有 %(m)s 位。"
            )
            % {"n": per_app, "area": area.name, "m": len(members)}
        )
    apps = list(
        Application.objects.filter(
            round=rnd, area=area, status=ApplicationStatus.RECOMMENDED
        ).select_related("round__cycle")
    )
    live = _live_counts(apps)
    demand = {a.pk: per_app - live.get(a.pk, 0) for a in apps}
    if not any(n > 0 for n in demand.values()):
        raise DomainError(_("该片区没有待分配评委的已推荐申报。"))
    # A reviewer is never drawn twice for one application, even after declining it.
    excluded = set(conflict_map(members, apps)) | set(
        Assignment.objects.filter(application__in=apps).values_list("reviewer_id", "application_id")
    )
    loads = Counter(
        Assignment.objects.filter(
            application__round=rnd,
            application__area=area,
            reviewer__in=members,
            status__in=LIVE_ASSIGNMENT_STATUSES,
        ).values_list("reviewer_id", flat=True)
    )
    seed = seed if seed is not None else secrets.randbits(48)
    chosen = plan(demand, [m.pk for m in members], excluded=excluded, loads=loads, seed=seed)
    record = AssignmentDraw.objects.create(
        round=rnd, area=area, seed=seed, per_application=per_app, created_by=actor.user
    )
    made = [
        Assignment(
            application_id=app_id,
            reviewer_id=rid,
            draw=record,
            due_on=rnd.scoring_closes_on,
            assigned_by=actor.user,
        )
        for app_id, rids in chosen.items()
        for rid in rids
    ]
    Assignment.objects.bulk_create(made)
    codes = {m.pk: m.code for m in members}
    final = Counter(loads)
    final.update(a.reviewer_id for a in made)
    loads_after = {codes[r]: final.get(r, 0) for r in sorted(codes)}
    record.summary = {
        "applications": len(chosen),
        "assignments": len(made),
        "loads": loads_after,
        # Over 1 only when conflicts or earlier answers left no balanced assignment.
        "spread": max(loads_after.values()) - min(loads_after.values()),
    }
    record.save(update_fields=["summary"])
    log_action(
        actor,
        record,
        "certification.assignment.drawn",
        data={"area": area.name, "seed": seed, **record.summary},
    )
    ids = [a.pk for a in made]
    transaction.on_commit(lambda: notices.invited(Assignment.objects.filter(pk__in=ids)))
    return record


# Manual assignment and cancelling ---------------------------------------------------------------


@transaction.atomic
def assign(actor: Actor, *, application: Application, reviewer: Reviewer) -> Assignment:
    """City staff assign one reviewer by hand (a replacement after a decline, a special
    case): the same refusals as the draw, one pair at a time."""
    require(actor, "certification.manage_reviewers")
    app = lock(Application, application.pk)
    rnd = app.round
    _assignable_round(rnd)
    if app.status != ApplicationStatus.RECOMMENDED:
        raise DomainError(_("只能为已推荐的申报分配评委。"))
    if not reviewer.active:
        raise DomainError(_("该专家已不在专家库中。"), field="reviewer")
    reasons = conflicts_between(reviewer, app)
    if reasons:
        raise DomainError(
            _("该专家与该集体存在利益冲突（%(why)s），不能分配。")
            % {"why": pgettext("标点", "、").join(reason_labels(reasons))},
            field="reviewer",
        )
    live = Assignment.objects.filter(application=app, status__in=LIVE_ASSIGNMENT_STATUSES)
    if live.filter(reviewer=reviewer).exists():
        raise DomainError(_("该专家已在评审该申报。"), field="reviewer")
    per_app = int(rnd.cycle.rule("reviewers_per_application"))
    if live.count() >= per_app:
        raise PoolTooSmall(
            _("该申报已有 %(n)s 位评委，达到规则规定的人数；请先撤销一项分配。") % {"n": per_app},
            field="reviewer",
        )
    made = Assignment.objects.create(
        application=app, reviewer=reviewer, due_on=rnd.scoring_closes_on, assigned_by=actor.user
    )
    log_action(
        actor,
        made,
        "certification.assignment.assigned",
        after={"reviewer": str(reviewer), "application": str(app)},
    )
    transaction.on_commit(lambda: notices.invited([made]))
    return made


@transaction.atomic
def cancel(actor: Actor, *, assignment: Assignment, reason: str) -> Assignment:
    require(actor, "certification.manage_reviewers")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写撤销原因。"), field="reason")
    a = lock(Assignment, assignment.pk)
    ASSIGNMENT_TRANSITIONS.move(a, AssignmentStatus.CANCELLED)
    a.save(update_fields=["status"])
    log_action(actor, a, "certification.assignment.cancelled", data={"reason": reason})
    transaction.on_commit(lambda: notices.cancelled(a))
    return a


# The reviewer's answer ------------------------------------------------------------------------


@transaction.atomic
def accept(actor: Actor, *, assignment: Assignment) -> Assignment:
    require(actor, "certification.respond", assignment)
    a = lock(Assignment, assignment.pk)
    _assignable_round(a.application.round)
    ASSIGNMENT_TRANSITIONS.move(a, AssignmentStatus.ACCEPTED)
    a.responded_at = timezone.now()
    a.save(update_fields=["status", "responded_at"])
    log_action(actor, a, "certification.assignment.accepted")
    return a


@transaction.atomic
def decline(actor: Actor, *, assignment: Assignment, reason: str) -> Assignment:
    require(actor, "certification.respond", assignment)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写谢绝理由。"), field="reason")
    a = lock(Assignment, assignment.pk)
    _assignable_round(a.application.round)
    ASSIGNMENT_TRANSITIONS.move(
        a,
        AssignmentStatus.DECLINED,
        message=_("已接受的评审邀请不能谢绝，如有利益冲突请申明回避。"),
    )
    a.decline_reason = reason[:300]
    a.responded_at = timezone.now()
    a.save(update_fields=["status", "decline_reason", "responded_at"])
    log_action(actor, a, "certification.assignment.declined", data={"reason": a.decline_reason})
    transaction.on_commit(lambda: notices.declined(a))
    return a


# Reminders ------------------------------------------------------------------------------------

# Accepted work is reminded of in the last days before the scoring deadline.
DUE_SOON_DAYS = 3


def send_reminders(actor: Actor, *, today: datetime.date | None = None) -> int:
    """Remind reviewers of unanswered invitations and of assignments due soon, at most once a
    day per assignment (``reminded_at``); one notice per reviewer. Returns notices sent."""
    require(actor, "certification.remind")
    today = today or timezone.localdate()
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    due = Q(status=AssignmentStatus.INVITED) | Q(
        status=AssignmentStatus.ACCEPTED,
        due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        due_on__gte=today,
    )
    pending = Assignment.objects.filter(
        due,
        application__round__status__in=ASSIGNABLE_ROUND_STATUSES,
        reviewer__active=True,
    ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
    by_reviewer: dict[int, list[int]] = {}
    for pk, rid in pending.values_list("pk", "reviewer_id"):
        by_reviewer.setdefault(rid, []).append(pk)
    sent = 0
    for rid, ids in by_reviewer.items():
        with transaction.atomic():
            # Claim under the same condition: two runs the same day remind once.
            claimed = (
                Assignment.objects.filter(pk__in=ids)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
                .update(reminded_at=timezone.now())
            )
            if claimed:
                reviewer = Reviewer.objects.select_related("user").get(pk=rid)
                notices.reminder(reviewer, claimed)
                sent += 1
    return sent
