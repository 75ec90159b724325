"""Builders for consultation tests: a draft on the seed policy text (or a short one), opened
to the world's two bodies."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from qnwmh.consultation import services
from qnwmh.consultation.models import Consultation
from tests import factories as f

SEED = Path(__file__).resolve().parent.parent / "qnwmh/consultation/demo/policy_2018.txt"

SHORT_TEXT = """关于试行的意见（征求意见稿）
为做好工作，制定本意见。
一、总体要求
坚持标准。
二、主要任务
（一）规范管理
加强台帐。
（二）强化监督
公开电话。
三、工作要求
认真落实。
"""


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def draft(
    world: Any,
    *,
    text: str = SHORT_TEXT,
    days: int = 7,
    allow_public: bool = False,
    title: str = "关于试行的意见",
) -> Consultation:
    city = f.actor(world.users["city_admin"])
    return services.create(
        city,
        title=title,
        text=text,
        deadline=timezone.now() + datetime.timedelta(days=days),
        allow_public=allow_public,
    )


def opened(world: Any, **kwargs: Any) -> Consultation:
    c = draft(world, **kwargs)
    city = f.actor(world.users["city_admin"])
    return services.open_consultation(city, consultation=c, bodies=[world.body, world.other_body])
