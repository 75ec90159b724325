"""Writes of recognition: recording and withdrawing rewards; writing, submitting, approving,
returning, publishing and withdrawing stories. Each checks its permission, moves the state
through its table, audits once and tells people after commit."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Collective, Title
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.evidence.models import EvidenceKind
from qnwmh.evidence.services import store_uploads
from qnwmh.recognition.models import (
    REWARD_TRANSITIONS,
    STORY_TRANSITIONS,
    Reward,
    RewardKind,
    RewardStatus,
    Story,
    StoryStatus,
)

# A story's photos (shown on the public site once it is published).
STORY_PURPOSE = "recognition.story"
MAX_PHOTOS = 6


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    check_text(value, field=field)
    return value


def _reason(reason: str) -> str:
    return _required(reason, "reason", _("请填写理由。"))


# Rewards ----------------------------------------------------------------------------------------


@transaction.atomic
def reward_record(
    actor: Actor,
    *,
    collective: Collective,
    kind: str,
    name: str,
    basis: str,
    decision_number: str,
    decided_on: datetime.date,
    decided_by_org: str,
    title: Title | None = None,
    amount: Decimal | None = None,
    description: str = "",
) -> Reward:
    require(actor, "recognition.record_reward", collective)
    if kind not in RewardKind.values:
        raise DomainError(_("请选择奖励类别。"), field="kind")
    if title is not None and title.collective_id != collective.pk:
        raise DomainError(_("所选称号不属于该集体。"), field="title")
    if amount is not None and (kind != RewardKind.MATERIAL or amount <= 0):
        raise DomainError(_("只有物质奖励可填写金额，且金额须大于零。"), field="amount")
    if decided_on > timezone.localdate():
        raise DomainError(_("决定日期不能晚于今天。"), field="decided_on")
    if description:
        check_text(description, field="description")
    reward = Reward.objects.create(
        collective=collective,
        title=title,
        kind=kind,
        name=_required(name, "name", _("请填写奖励名称。")),
        basis=_required(basis, "basis", _("请填写奖励依据。")),
        decision_number=_required(decision_number, "decision_number", _("请填写决定文号。")),
        decided_on=decided_on,
        decided_by_org=_required(decided_by_org, "decided_by_org", _("请填写决定机关。")),
        amount=amount,
        description=description.strip(),
        recorded_by=actor.clerk,
        recorded_by_city=actor.is_city_admin,
    )
    log_action(actor, reward, "recognition.reward.recorded", after=snapshot(reward))
    transaction.on_commit(lambda: _tell_reward(reward))
    return reward


@transaction.atomic
def reward_withdraw(actor: Actor, reward: Reward, *, reason: str) -> Reward:
    """A reward recorded in error leaves the register's totals but stays, with the reason."""
    require(actor, "recognition.withdraw_reward", reward)
    reason = _reason(reason)
    r = lock(Reward, reward.pk)
    before = snapshot(r)
    REWARD_TRANSITIONS.move(r, RewardStatus.WITHDRAWN)
    r.withdrawn_reason, r.withdrawn_at = reason, timezone.now()
    r.save(update_fields=["status", "withdrawn_reason", "withdrawn_at"])
    log_action(actor, r, "recognition.reward.withdrawn", before=before, after=snapshot(r))
    return r


# Stories ----------------------------------------------------------------------------------------


def _photos(actor: Actor, collective: Collective, files: Sequence[Any]) -> list[Any]:
    stored = store_uploads(
        actor, list(files), collective=collective, purpose=STORY_PURPOSE, field="photos"
    )
    if any(f.kind != EvidenceKind.IMAGE for f in stored):
        # Raised inside the caller's transaction: nothing of the upload is kept.
        raise DomainError(_("典型案例只能上传图片。"), field="photos")
    return stored


def _story_texts(heading: str, summary: str, text: str) -> dict[str, str]:
    if summary:
        check_text(summary, field="summary")
    return {
        "heading": _required(heading, "heading", _("请填写标题。")),
        "summary": summary.strip(),
        "text": _required(text, "text", _("请填写正文。")),
    }


@transaction.atomic
def story_create(
    actor: Actor,
    *,
    collective: Collective,
    heading: str,
    text: str,
    summary: str = "",
    photos: Sequence[Any] = (),
) -> Story:
    require(actor, "recognition.write_story", collective)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, field="photos")
    story = Story.objects.create(
        collective=collective, written_by=actor.clerk, **_story_texts(heading, summary, text)
    )
    if photos:
        story.photos.set(_photos(actor, collective, photos))
    log_action(actor, story, "recognition.story.created", after=snapshot(story))
    return story


@transaction.atomic
def story_update(
    actor: Actor,
    story: Story,
    *,
    heading: str,
    text: str,
    summary: str = "",
    photos: Sequence[Any] = (),
    remove_photos: Sequence[str] = (),
) -> Story:
    """Edit a draft or a returned story: new photos are added, the named ones taken off it
    (the files stay in the evidence store)."""
    require(actor, "recognition.write_story", story.collective)
    s = lock(Story, story.pk)
    if not s.editable:
        raise DomainError(_("只有草稿或已退回的典型案例可以修改。"))
    kept = s.photos.exclude(code__in=list(remove_photos))
    if kept.count() + len(photos) > MAX_PHOTOS:
        raise DomainError(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, field="photos")
    before = snapshot(s)
    for name, value in _story_texts(heading, summary, text).items():
        setattr(s, name, value)
    s.save(update_fields=["heading", "summary", "text"])
    if remove_photos:
        s.photos.remove(*s.photos.filter(code__in=list(remove_photos)))
    if photos:
        s.photos.add(*_photos(actor, s.collective, photos))
    log_action(actor, s, "recognition.story.updated", before=before, after=snapshot(s))
    return s


@transaction.atomic
def story_submit(actor: Actor, story: Story) -> Story:
    require(actor, "recognition.write_story", story.collective)
    s = lock(Story, story.pk)
    before = snapshot(s)
    STORY_TRANSITIONS.move(s, StoryStatus.SUBMITTED)
    s.submitted_at = timezone.now()
    s.save(update_fields=["status", "submitted_at"])
    log_action(actor, s, "recognition.story.submitted", before=before, after=snapshot(s))
    transaction.on_commit(lambda: _tell_story(s, "recognition.story.submitted"))
    return s


def _decide(actor: Actor, story: Story, to: str, code: str, note: str = "", **kw: Any) -> Story:
    require(actor, "recognition.decide_story", story.collective)
    s = lock(Story, story.pk)
    before = snapshot(s)
    STORY_TRANSITIONS.move(s, to, **kw)
    s.decided_by, s.decided_at = actor.clerk, timezone.now()
    s.note = note  # the reason of a return or a withdrawal; the history keeps older ones
    if to == StoryStatus.PUBLISHED:
        s.published_at = timezone.now()
    s.save()
    log_action(actor, s, code, before=before, after=snapshot(s))
    transaction.on_commit(lambda: _tell_story(s, code))
    return s


@transaction.atomic
def story_approve(actor: Actor, story: Story) -> Story:
    return _decide(actor, story, StoryStatus.APPROVED, "recognition.story.approved")


@transaction.atomic
def story_return(actor: Actor, story: Story, *, reason: str) -> Story:
    reason = _reason(reason)
    return _decide(actor, story, StoryStatus.RETURNED, "recognition.story.returned", reason)


@transaction.atomic
def story_publish(actor: Actor, story: Story) -> Story:
    return _decide(
        actor,
        story,
        StoryStatus.PUBLISHED,
        "recognition.story.published",
        message=_("只有审核通过的典型案例才能发布，该案例当前状态为“%(from)s”。"),
    )


@transaction.atomic
def story_withdraw(actor: Actor, story: Story, *, reason: str) -> Story:
    """Take a published story off the site (it is kept, and may be published again)."""
    reason = _reason(reason)
    return _decide(actor, story, StoryStatus.WITHDRAWN, "recognition.story.withdrawn", reason)


# Notices ----------------------------------------------------------------------------------------


def _tell_reward(reward: Reward) -> None:
    from qnwmh.notices.services import body_admins, collective_managers, notify

    c = reward.collective
    notify(
        [*collective_managers(c.pk), *body_admins(c.body_id)],
        code="recognition.reward.recorded",
        params={"c": c.name, "name": reward.name},
        link=reverse("recognition:reward", args=[reward.code]),
    )


def _tell_story(story: Story, code: str) -> None:
    from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

    c = story.collective
    if code == "recognition.story.submitted":
        recipients = city_admins()
    elif code == "recognition.story.published":
        recipients = [*body_admins(c.body_id), *collective_managers(c.pk)]
    else:
        recipients = [story.written_by, *body_admins(c.body_id)]
    notify(
        recipients,
        code=code,
        params={"c": c.name, "heading": story.heading, "note": story.note[:120]},
        link=reverse("recognition:story", args=[story.code]),
    )
