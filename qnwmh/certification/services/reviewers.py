"""The expert pool and what surrounds it: review areas (片区), reviewer accounts, panels per
area and round, and conflicts declared by reviewers.

Reviewer accounts are created through the user administration of ``access`` (the account,
its reviewer role and their audit come from there); the profile beside it is ours."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.access import services as access_services
from qnwmh.accounts import services as account_services
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action, snapshot
from qnwmh.certification import notices
from qnwmh.certification.models import (
    ASSIGNMENT_TRANSITIONS,
    LIVE_APPLICATION_STATUSES,
    LIVE_ASSIGNMENT_STATUSES,
    Application,
    Assignment,
    AssignmentStatus,
    CertificationRound,
    ConflictDeclaration,
    Panel,
    ReviewArea,
    Reviewer,
    RoundStatus,
)
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.orgs.models import Organisation, Town

# Review areas ---------------------------------------------------------------------------------


def _check_towns_free(towns: list[Town], area: ReviewArea | None) -> None:
    """A town belongs to one active area: its applications get their area from it."""
    wanted = {t.pk for t in towns}
    others = ReviewArea.objects.filter(active=True, towns__in=wanted)
    if area is not None:
        others = others.exclude(pk=area.pk)
    for other in others.distinct().prefetch_related("towns"):
        for town in other.towns.all():
            if town.pk in wanted:
                raise DomainError(
                    _("镇区“%(town)s”已属于片区“%(area)s”。")
                    % {"town": town.name, "area": other.name},
                    field="towns",
                )


def _check_name_free(name: str, area: ReviewArea | None) -> None:
    same = ReviewArea.objects.filter(name=name)
    if area is not None:
        same = same.exclude(pk=area.pk)
    if same.exists():
        raise DomainError(_("已有同名片区。"), field="name")


@transaction.atomic
def area_create(
    actor: Actor, *, name: str, towns: list[Town], sort_order: int = 0, active: bool = True
) -> ReviewArea:
    require(actor, "certification.manage_reviewers")
    _check_name_free(name, None)
    if active:
        _check_towns_free(list(towns), None)
    area = ReviewArea.objects.create(name=name, sort_order=sort_order, active=active)
    area.towns.set(towns)
    _place_applications(area)
    log_action(
        actor,
        area,
        "certification.area.created",
        after={**snapshot(area), "towns": sorted(t.name for t in towns)},
    )
    return area


@transaction.atomic
def area_update(
    actor: Actor,
    *,
    area: ReviewArea,
    name: str,
    towns: list[Town],
    sort_order: int = 0,
    active: bool = True,
) -> ReviewArea:
    require(actor, "certification.manage_reviewers")
    area = lock(ReviewArea, area.pk)
    _check_name_free(name, area)
    if active:
        _check_towns_free(list(towns), area)
    before = {**snapshot(area), "towns": sorted(area.towns.values_list("name", flat=True))}
    area.name, area.sort_order, area.active = name, sort_order, active
    area.save()
    area.towns.set(towns)
    _place_applications(area)
    log_action(
        actor,
        area,
        "certification.area.updated",
        before=before,
        after={**snapshot(area), "towns": sorted(t.name for t in towns)},
    )
    return area


def _place_applications(area: ReviewArea) -> int:
    """Live applications submitted before their town had an area join this one (an
    application's area is otherwise set once, at submission)."""
    if not area.active:
        return 0
    return Application.objects.filter(
        area__isnull=True,
        town__in=area.towns.all(),
        status__in=LIVE_APPLICATION_STATUSES,
    ).update(area=area)


# The expert pool ------------------------------------------------------------------------------

PROFILE_FIELDS = ["expertise", "employer", "body", "town", "active"]


def _profile_snapshot(rv: Reviewer) -> dict[str, Any]:
    return {
        **snapshot(rv, PROFILE_FIELDS),
        "areas": sorted(rv.areas.values_list("name", flat=True)),
    }


@transaction.atomic
def reviewer_create(
    actor: Actor,
    *,
    username: str,
    display_name: str,
    email: str = "",
    phone: str = "",
    expertise: str,
    employer: str,
    body: Organisation | None = None,
    town: Town | None = None,
    areas: list[ReviewArea] | None = None,
) -> tuple[Reviewer, str]:
    """A reviewer account with a temporary password (returned once, to hand over; changed at
    the first sign-in) and its profile."""
    require(actor, "certification.manage_reviewers")
    password = account_services.temporary_password()
    user = access_services.user_create(
        actor,
        username=username,
        password=password,
        display_name=display_name,
        email=email,
        phone=phone,
        role=Role.REVIEWER,
    )
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    rv = Reviewer.objects.create(
        user=user, expertise=expertise, employer=employer, body=body, town=town
    )
    rv.areas.set(areas or [])
    log_action(actor, rv, "certification.reviewer.created", after=_profile_snapshot(rv))
    return rv, password


@transaction.atomic
def reviewer_add_profile(
    actor: Actor,
    *,
    user: User,
    expertise: str,
    employer: str,
    body: Organisation | None = None,
    town: Town | None = None,
    areas: list[ReviewArea] | None = None,
) -> Reviewer:
    """A profile for an existing account holding the reviewer role (demo, migrations)."""
    require(actor, "certification.manage_reviewers")
    if Reviewer.objects.filter(user=user).exists():
        raise DomainError(_("该账号已在专家库中。"))
    rv = Reviewer.objects.create(
        user=user, expertise=expertise, employer=employer, body=body, town=town
    )
    rv.areas.set(areas or [])
    log_action(actor, rv, "certification.reviewer.created", after=_profile_snapshot(rv))
    return rv


@transaction.atomic
def reviewer_update(
    actor: Actor,
    *,
    reviewer: Reviewer,
    expertise: str,
    employer: str,
    body: Organisation | None = None,
    town: Town | None = None,
    areas: list[ReviewArea] | None = None,
    active: bool = True,
) -> Reviewer:
    """Edit the profile. A reviewer taken out of the pool keeps their assignments (city staff
    cancel them one by one, with the reason on record) but is never drawn again."""
    require(actor, "certification.manage_reviewers")
    rv = lock(Reviewer, reviewer.pk)
    before = _profile_snapshot(rv)
    rv.expertise, rv.employer, rv.body, rv.town, rv.active = (
        expertise,
        employer,
        body,
        town,
        active,
    )
    rv.save()
    rv.areas.set(areas or [])
    log_action(
        actor, rv, "certification.reviewer.updated", before=before, after=_profile_snapshot(rv)
    )
    return rv


# Panels ---------------------------------------------------------------------------------------


def _check_panel(area: ReviewArea, chair: Reviewer | None, members: list[Reviewer]) -> None:
    outside = [m for m in members if not m.active or area.pk not in {a.pk for a in m.areas.all()}]
    if outside:
        raise DomainError(
            _("%(name)s 不在专家库中或不服务该片区。") % {"name": outside[0]}, field="members"
        )
    if chair is not None and chair.pk not in {m.pk for m in members}:
        raise DomainError(_("组长须是评审组成员。"), field="chair")


@transaction.atomic
def panel_save(
    actor: Actor,
    *,
    round: CertificationRound,
    area: ReviewArea,
    members: list[Reviewer],
    chair: Reviewer | None = None,
    secretary: User | None = None,
) -> Panel:
    """Create or change the panel of an area in a round. Members leaving the panel keep their
    assignments (cancel them explicitly)."""
    require(actor, "certification.manage_reviewers")
    rnd = lock(CertificationRound, round.pk)
    if rnd.status == RoundStatus.CLOSED:
        raise DomainError(_("评分已截止，不能再调整评审组。"))
    _check_panel(area, chair, members)
    panel = Panel.objects.filter(round=rnd, area=area).first()
    before = None
    if panel is None:
        panel = Panel.objects.create(round=rnd, area=area, chair=chair, secretary=secretary)
        code = "certification.panel.created"
    else:
        before = {
            **snapshot(panel, ["chair", "secretary"]),
            "members": sorted(str(m) for m in panel.members.all()),
        }
        panel.chair, panel.secretary = chair, secretary
        panel.save()
        code = "certification.panel.updated"
    panel.members.set(members)
    log_action(
        actor,
        panel,
        code,
        before=before,
        after={
            **snapshot(panel, ["chair", "secretary"]),
            "members": sorted(str(m) for m in members),
        },
    )
    return panel


# Conflicts declared by reviewers ----------------------------------------------------------------


@transaction.atomic
def conflict_declare(actor: Actor, *, application: Application, reason: str) -> ConflictDeclaration:
    """The reviewer declares a conflict with the application's collective: every live
    assignment of theirs to that collective's applications is cancelled, and city staff are
    told so they can assign someone else."""
    require(actor, "certification.declare_conflict", application)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写回避理由。"), field="reason")
    reviewer = Reviewer.objects.get(user=actor.user)
    reviewer = lock(Reviewer, reviewer.pk)
    declaration = ConflictDeclaration.objects.create(
        reviewer=reviewer, collective=application.collective, reason=reason
    )
    log_action(
        actor,
        declaration,
        "certification.conflict.declared",
        after={"collective": application.collective.name, "reason": reason},
    )
    cancelled = cancel_for_conflict(actor, reviewer, application.collective)
    transaction.on_commit(lambda: notices.conflict_declared(declaration, cancelled))
    return declaration


def cancel_for_conflict(
    actor: Actor, reviewer: Reviewer, collective: Collective
) -> list[Assignment]:
    """Cancel the reviewer's live assignments to the collective's applications (audited)."""
    cancelled = []
    for a in Assignment.objects.select_for_update().filter(
        reviewer=reviewer,
        application__collective=collective,
        status__in=LIVE_ASSIGNMENT_STATUSES,
    ):
        ASSIGNMENT_TRANSITIONS.move(a, AssignmentStatus.CANCELLED)
        a.responded_at = timezone.now()
        a.save(update_fields=["status", "responded_at"])
        log_action(
            actor, a, "certification.assignment.cancelled", data={"reason": "conflict_declared"}
        )
        cancelled.append(a)
    return cancelled
