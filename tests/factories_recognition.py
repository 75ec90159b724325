"""Builders for recognition: rewards and stories put straight in the database, in the state a
test starts from, so each test need not walk the services to get there."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Role
from qnwmh.recognition.models import Reward, RewardKind, Story, StoryStatus


def reward(collective: Collective, by: User, **kwargs: Any) -> Reward:
    values: dict[str, Any] = {
        "kind": RewardKind.HONORARY,
        "name": "优秀青年集体",
        "basis": "年度服务群众成效突出。",
        "decision_number": "中团发〔2026〕3号",
        "decided_on": datetime.date(2026, 5, 4),
        "decided_by_org": "共青团中山市委员会",
        **kwargs,
    }
    values.setdefault(
        "recorded_by_city",
        RoleAssignment.objects.active().filter(user=by, role=Role.CITY_ADMIN).exists(),
    )
    return Reward.objects.create(collective=collective, recorded_by=by, **values)


def story(
    collective: Collective, by: User, status: str = StoryStatus.DRAFT, **kwargs: Any
) -> Story:
    now = timezone.now()
    values: dict[str, Any] = {
        "heading": "窗口延时服务温暖群众",
        "summary": "推出午间不打烊服务。",
        "text": "一、背景\n群众反映午间办事难。\n二、做法\n轮班保证午间窗口开放。",
        "status": status,
        "submitted_at": now if status != StoryStatus.DRAFT else None,
        "published_at": now if status == StoryStatus.PUBLISHED else None,
        **kwargs,
    }
    return Story.objects.create(collective=collective, written_by=by, **values)
