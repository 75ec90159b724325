"""Writes of partnerships, one function per transition: a body proposes a joint project or a
pair, the city confirms or returns it (with a reason), the partners report milestones or
record held activities, and the proposing body closes it. The numbers the policy leaves open
are ``policy.RULES``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import can, require
from qnwmh.core.validation import check_text
from qnwmh.creation import services as creation
from qnwmh.creation.models import EntryKind
from qnwmh.creation.selectors import (
    current_cycle,
    cycle_end,
    cycle_start,
    is_registered,
    is_titled,
)
from qnwmh.evidence.services import store_uploads
from qnwmh.partnerships.models import (
    OPEN_STATUSES,
    TRANSITIONS,
    JointCreation,
    MentorPair,
    Milestone,
    PairActivity,
    Rating,
    Status,
)
from qnwmh.partnerships.policy import RULES

MILESTONE_PURPOSE = "partnerships.milestone"
ACTIVITY_PURPOSE = "partnerships.activity"


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    check_text(value, field=field)
    return value


def _lead(actor: Actor, collectives: Sequence[Collective]) -> Collective:
    """The first collective the actor may propose for: its body proposes."""
    for c in collectives:
        if can(actor, "partnerships.propose", c):
            return c
    require(actor, "partnerships.propose", collectives[0])  # raises: none is the actor's
    raise AssertionError  # pragma: no cover


# Joint creation -------------------------------------------------------------------------------


def _check_partners(partners: Sequence[Collective]) -> list[Collective]:
    unique = list({c.pk: c for c in partners}.values())
    if len(unique) < RULES.min_partners:
        raise DomainError(
            _("号号联创至少需要 %(n)s 个青年文明号集体。") % {"n": RULES.min_partners},
            field="partners",
        )
    if len(unique) > RULES.max_partners:
        raise DomainError(
            _("号号联创最多 %(n)s 个集体。") % {"n": RULES.max_partners}, field="partners"
        )
    untitled = [c.name for c in unique if not is_titled(c)]
    if untitled:
        raise DomainError(
            _("以下集体未持有有效的青年文明号称号：%(names)s") % {"names": "、".join(untitled)},
            field="partners",
        )
    return unique


def _check_milestones(milestones: Sequence[tuple[str, datetime.date]]) -> None:
    if not milestones:
        raise DomainError(_("请至少填写一个节点。"), field="milestones")
    if len(milestones) > RULES.max_milestones:
        raise DomainError(
            _("节点最多 %(n)s 个。") % {"n": RULES.max_milestones}, field="milestones"
        )
    for name, _due in milestones:
        _text(name, "milestones", _("请填写节点名称。"))


@transaction.atomic
def joint_propose(
    actor: Actor,
    *,
    name: str,
    goal: str,
    partners: Sequence[Collective],
    milestones: Sequence[tuple[str, datetime.date]],
) -> JointCreation:
    """``milestones``: (name, due date) in order. The first partner the actor proposes for is
    the lead; its body is the proposer."""
    require(actor, "partnerships.propose", None)
    if not partners:
        raise DomainError(_("请选择联创集体。"), field="partners")
    lead = _lead(actor, partners)
    name = _text(name, "name", _("请填写项目名称。"))
    goal = _text(goal, "goal", _("请填写联创目标。"))
    unique = _check_partners(partners)
    _check_milestones(milestones)
    project = JointCreation.objects.create(
        name=name[:100], goal=goal, body_id=lead.body_id, proposed_by=actor.user
    )
    project.partners.set(unique)
    Milestone.objects.bulk_create(
        Milestone(project=project, number=i, name=n.strip()[:100], due_on=due)
        for i, (n, due) in enumerate(milestones, start=1)
    )
    log_action(
        actor,
        project,
        "partnerships.joint.proposed",
        after=snapshot(project),
        data={"partners": [c.code for c in unique], "milestones": len(milestones)},
    )
    transaction.on_commit(lambda: _tell_joint(project, "partnerships.joint.proposed"))
    return project


@transaction.atomic
def joint_confirm(actor: Actor, project: JointCreation) -> JointCreation:
    return _decide(actor, project, JointCreation, Status.ACTIVE, "", _tell_joint, "joint")


@transaction.atomic
def joint_return(actor: Actor, project: JointCreation, *, reason: str) -> JointCreation:
    return _decide(actor, project, JointCreation, Status.RETURNED, reason, _tell_joint, "joint")


def _reaches(actor: Actor, c: Collective) -> bool:
    return actor.is_city_admin or c.body_id in actor.body_ids or c.pk in actor.collective_ids


def _reached_partner(actor: Actor, project: JointCreation) -> Collective:
    """The partner whose collective keeps a milestone's evidence: the first the actor may
    upload for (a partner's manager uploads for its own collective only)."""
    partners = list(project.partners.order_by("id"))
    return next((c for c in partners if _reaches(actor, c)), partners[0])


@transaction.atomic
def milestone_done(
    actor: Actor,
    project: JointCreation,
    milestone: Milestone,
    *,
    done_on: datetime.date,
    note: str,
    files: Sequence[Any] = (),
) -> Milestone:
    require(actor, "partnerships.run_joint", project)
    project = lock(JointCreation, project.pk)
    if project.status != Status.ACTIVE:
        raise DomainError(_("项目确认后、结束前才能登记节点完成情况。"))
    m = lock(Milestone, milestone.pk)
    if m.project_id != project.pk:
        raise DomainError(_("该节点不属于此项目。"))
    if m.done_on is not None:
        raise DomainError(_("该节点已登记完成。"))
    if done_on > timezone.localdate():
        raise DomainError(_("完成日期不能晚于今天。"), field="done_on")
    before = snapshot(m)
    m.note = _text(note, "note", _("请填写完成情况。"))
    m.done_on, m.done_by = done_on, actor.user
    m.save(update_fields=["note", "done_on", "done_by"])
    stored = store_uploads(
        actor,
        list(files),
        collective=_reached_partner(actor, project),
        purpose=MILESTONE_PURPOSE,
        max_files=RULES.max_photos,
    )
    if stored:
        m.evidence.add(*stored)
    log_action(
        actor,
        project,
        "partnerships.milestone.done",
        before=before,
        after=snapshot(m),
        data={"milestone": m.number, "files": len(stored)},
    )
    return m


@transaction.atomic
def joint_close(actor: Actor, project: JointCreation, *, outcome: str) -> JointCreation:
    require(actor, "partnerships.close_joint", project)
    p = lock(JointCreation, project.pk)
    outcome = _text(outcome, "outcome", _("请填写联创成效。"))
    before = snapshot(p)
    TRANSITIONS.move(p, Status.CLOSED)
    p.outcome, p.closed_by, p.closed_at = outcome, actor.user, timezone.now()
    p.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    log_action(actor, p, "partnerships.joint.closed", before=before, after=snapshot(p))
    return p


# Mentor pairs ------------------------------------------------------------------------------------


@transaction.atomic
def pair_propose(actor: Actor, *, mentor: Collective, mentee: Collective, plan: str) -> MentorPair:
    """The mentee's body proposes; the mentor may be any titled collective of the city."""
    require(actor, "partnerships.propose", mentee)
    plan = _text(plan, "plan", _("请填写约定的结对活动。"))
    if mentor.pk == mentee.pk:
        raise DomainError(_("导师集体与创建集体不能相同。"), field="mentor")
    cycle = current_cycle()
    if cycle is None:
        raise DomainError(_("当前没有创建周期，不能结对。"))
    # current_cycle falls back to the latest opened cycle, which may be over: a pair is for
    # the creation running now.
    today = timezone.localdate()
    if not cycle_start(cycle) <= today <= cycle_end(cycle):
        raise DomainError(_("当前没有正在进行的创建周期，不能结对。"))
    if not is_titled(mentor):
        raise DomainError(_("导师集体须持有有效的青年文明号称号。"), field="mentor")
    if not is_registered(mentee, cycle):
        raise DomainError(_("创建集体须已在本创建周期报备。"), field="mentee")
    # Both counts below are rules: lock the two collectives (in id order) so that two
    # proposals racing for one mentee or mentor cannot both pass.
    for pk in sorted({mentor.pk, mentee.pk}):
        lock(Collective, pk)
    open_pairs = MentorPair.objects.filter(status__in=OPEN_STATUSES)
    if open_pairs.filter(mentee=mentee, cycle=cycle).count() >= RULES.mentee_open_pairs_per_cycle:
        raise DomainError(_("该创建集体本周期已有结对，不能重复结对。"), field="mentee")
    if open_pairs.filter(mentor=mentor).count() >= RULES.mentor_open_pairs:
        raise DomainError(
            _("该导师集体已有 %(n)s 个进行中的结对，不能再结对。") % {"n": RULES.mentor_open_pairs},
            field="mentor",
        )
    pair = MentorPair.objects.create(
        mentor=mentor,
        mentee=mentee,
        cycle=cycle,
        plan=plan,
        body_id=mentee.body_id,
        proposed_by=actor.user,
    )
    log_action(actor, pair, "partnerships.pair.proposed", after=snapshot(pair))
    transaction.on_commit(lambda: _tell_pair(pair, "partnerships.pair.proposed"))
    return pair


@transaction.atomic
def pair_confirm(actor: Actor, pair: MentorPair) -> MentorPair:
    return _decide(actor, pair, MentorPair, Status.ACTIVE, "", _tell_pair, "pair")


@transaction.atomic
def pair_return(actor: Actor, pair: MentorPair, *, reason: str) -> MentorPair:
    return _decide(actor, pair, MentorPair, Status.RETURNED, reason, _tell_pair, "pair")


def _activity_values(a: PairActivity, other: Collective) -> dict[str, Any]:
    # Stored text, read by everyone: always in the site's language, never the recorder's.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("新老结对：%(name)s") % {"name": a.name}
        lead = _("与 %(other)s 结对活动。") % {"other": other.name}
    return {
        "kind": EntryKind.EXCHANGE_VISIT,
        "title": title,
        "occurred_on": a.occurred_on,
        "place": a.place,
        "participants": a.participants,
        "description": lead + "\n" + a.description,
        "public": False,
    }


def _home_side(actor: Actor, pair: MentorPair) -> Collective:
    """The side whose collective keeps the photos: the mentee, unless the actor reaches only
    the mentor (a mentor's manager may upload for its own collective alone)."""
    return pair.mentee if _reaches(actor, pair.mentee) else pair.mentor


@transaction.atomic
def activity_record(
    actor: Actor,
    pair: MentorPair,
    *,
    name: str,
    occurred_on: datetime.date,
    place: str = "",
    participants: int = 0,
    description: str,
    photos: Sequence[Any] = (),
) -> PairActivity:
    """A held activity: kept on the pair and recorded in both collectives' creation logs (kind
    交流互访) with its photos. The photos are stored once, under the side the actor may upload
    for, and attached to both entries."""
    require(actor, "partnerships.record_activity", pair)
    pair = lock(MentorPair, pair.pk)
    if pair.status != Status.ACTIVE:
        raise DomainError(_("结对确认后、结束前才能登记活动。"))
    name = _text(name, "name", _("请填写活动名称。"))
    description = _text(description, "description", _("请填写活动情况。"))
    check_text(place, field="place")
    if occurred_on > timezone.localdate():
        raise DomainError(_("活动日期不能晚于今天。"), field="occurred_on")
    if occurred_on < pair.cycle.registration_opens_on:
        raise DomainError(_("活动日期须在本创建周期内。"), field="occurred_on")
    if not 0 <= participants <= 100000:
        raise DomainError(_("参与人数不合理。"), field="participants")
    a = PairActivity.objects.create(
        pair=pair,
        name=name[:100],
        occurred_on=occurred_on,
        place=(place or "").strip()[:100],
        participants=participants,
        description=description,
        recorded_by=actor.user,
    )
    home = _home_side(actor, pair)
    files = store_uploads(
        actor,
        list(photos),
        collective=home,
        purpose=ACTIVITY_PURPOSE,
        field="photos",
        max_files=RULES.max_photos,
    )
    if files:
        a.photos.add(*files)
    logged = 0
    for side, other in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee)):
        entry = creation.entry_record(
            actor,
            collective=side,
            origin=f"partnerships.pairactivity:{a.code}",
            values=_activity_values(a, other),
            files=files,
        )
        logged += entry is not None
    a.logged = logged
    a.save(update_fields=["logged"])
    log_action(
        actor,
        pair,
        "partnerships.activity.recorded",
        after=snapshot(a),
        data={"activity": a.code, "logged": logged},
    )
    return a


@transaction.atomic
def pair_close(actor: Actor, pair: MentorPair, *, review: str, rating: str) -> MentorPair:
    require(actor, "partnerships.review_pair", pair)
    p = lock(MentorPair, pair.pk)
    if rating not in Rating.values:
        raise DomainError(_("请选择评价结论。"), field="rating")
    review = _text(review, "review", _("请填写结对总结评价。"))
    before = snapshot(p)
    TRANSITIONS.move(p, Status.CLOSED)
    p.review, p.rating, p.closed_by, p.closed_at = review, rating, actor.user, timezone.now()
    p.save(update_fields=["status", "review", "rating", "closed_by", "closed_at"])
    log_action(actor, p, "partnerships.pair.closed", before=before, after=snapshot(p))
    return p


# The city's decision, shared ------------------------------------------------------------------


def _decide(
    actor: Actor,
    obj: Any,
    model: type[Any],
    to: str,
    reason: str,
    tell: Any,
    noun: str,
) -> Any:
    require(actor, "partnerships.confirm", None)
    o = lock(model, obj.pk)
    if to == Status.RETURNED:
        reason = _text(reason, "reason", _("请填写退回理由。"))
    before = snapshot(o)
    TRANSITIONS.move(o, to)
    o.decided_by, o.decided_at, o.return_reason = actor.user, timezone.now(), reason
    o.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    verb = "confirmed" if to == Status.ACTIVE else "returned"
    code = f"partnerships.{noun}.{verb}"
    log_action(actor, o, code, before=before, after=snapshot(o))
    transaction.on_commit(lambda: tell(o, code))
    return o


def _tell_joint(project: JointCreation, code: str) -> None:
    from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

    params = {
        "name": project.name,
        "body": project.body.name,
        "reason": project.return_reason[:120],
    }
    if code.endswith(".proposed"):
        recipients = city_admins()
    else:
        recipients = body_admins(project.body_id)
        for c in project.partners.all():
            recipients += collective_managers(c.id)
    link = reverse("partnerships:joint", args=[project.code])
    notify(_unique(recipients), code=code, params=params, link=link)


def _tell_pair(pair: MentorPair, code: str) -> None:
    from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

    params = {
        "body": pair.body.name,
        "mentor": pair.mentor.name,
        "mentee": pair.mentee.name,
        "reason": pair.return_reason[:120],
    }
    if code.endswith(".proposed"):
        recipients = city_admins()
    else:
        recipients = [
            *body_admins(pair.body_id),
            *collective_managers(pair.mentor_id),
            *collective_managers(pair.mentee_id),
        ]
    link = reverse("partnerships:pair", args=[pair.code])
    notify(_unique(recipients), code=code, params=params, link=link)


def _unique(users: list[Any]) -> list[Any]:
    return list({u.pk: u for u in users}.values())
