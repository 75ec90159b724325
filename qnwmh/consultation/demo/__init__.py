"""Demo: the 2018 policy draft (the league's own 征求意见稿, kept beside this module) open for
comments from every managing body, with a few replies — comments on two sections, an explicit
无意见, a body that has only read it — and one comment from the public."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from qnwmh.access.actor import actor_for
from qnwmh.consultation import services
from qnwmh.consultation.models import Consultation
from qnwmh.core.actor import ANONYMOUS
from qnwmh.core.demo_context import DemoContext

POLICY = Path(__file__).with_name("policy_2018.txt")
TITLE = "关于进一步深化中山市青年文明号创建活动的实施意见（征求意见稿）"
NOTE = "请各单位结合工作实际认真研究，逐节提出修改意见建议；无修改意见的请回复“无意见”。"


def build(ctx: DemoContext) -> None:
    city = actor_for(ctx.users["city_admin"], "127.0.0.1")
    c = services.create(
        city,
        title=TITLE,
        text=POLICY.read_text(encoding="utf-8"),
        deadline=timezone.now() + datetime.timedelta(days=10),
        note=NOTE,
        allow_public=True,
    )
    services.open_consultation(city, consultation=c)
    _replies(ctx, c)


def _respondent(c: Consultation, username: str, ctx: DemoContext) -> tuple[object, object]:
    """The demo account's actor and its body's roster row (None without the account)."""
    if username not in ctx.users:
        return None, None
    actor = actor_for(ctx.users[username], "127.0.0.1")
    return actor, c.respondents.filter(organisation_id__in=actor.own_body_ids).first()


def _replies(ctx: DemoContext, c: Consultation) -> None:
    sections = {f"{s.number}{s.heading}": s for s in c.sections.all()}
    actor, row = _respondent(c, "shiqi_admin", ctx)
    if row is not None:
        services.reply(
            actor,  # type: ignore[arg-type]
            respondent=row,  # type: ignore[arg-type]
            comments={
                sections["（二）规范管理，做大、做强基层创建基础"].pk: (
                    "建议明确“各镇区创建集体中至少有1家非公经济组织”的认定口径，"
                    "以及达不到时的处理办法。"
                ),
                sections["（二）创建内容"].pk: (
                    "“三个一”举措中的检查或调研，建议允许以线上抽查方式完成并留痕。"
                ),
            },
            rest_no_comment=True,
        )
    actor, row = _respondent(c, "xiaolan_admin", ctx)
    if row is not None:
        services.no_comment(actor, respondent=row)  # type: ignore[arg-type]
    actor, row = _respondent(c, "health_admin", ctx)
    if row is not None:
        services.mark_opened(actor, respondent=row)  # type: ignore[arg-type]
    services.public_comment(
        ANONYMOUS,
        consultation=c,
        section=sections["（四）由点及面，提升美誉度和社会影响力"],
        text="“青年文明号开放周”每月1—2次对基层单位负担较重，建议改为每季度至少1次。",
        name="市民",
        contact="13800000000",
    )
