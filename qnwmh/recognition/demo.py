"""Recognition demo, through the services: two rewards (an honorary one from the city tied to
the demo collective's title, a material one from its body), a typical case the city approved
and published with photos, and another the body submitted, awaiting the city's approval."""

from __future__ import annotations

import datetime
from decimal import Decimal

from qnwmh.access.actor import actor_for
from qnwmh.collectives.models import Collective, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext
from qnwmh.creation.demo import photo
from qnwmh.recognition import services
from qnwmh.recognition.models import RewardKind

COLLECTIVE = "石岐街道便民服务中心青年服务窗口"

PUBLISHED_TEXT = """一、背景
街道便民服务中心午间前来办事的上班族多，过去午休时段窗口关闭，群众只能请假办事。

二、主要做法
青年服务窗口推出“午间不打烊”服务，团员青年轮流值守，午间保证两个综合窗口开放；对行动不便的老人提供上门代办。

三、成效
一年来午间共办理业务三千余件，群众满意度测评从百分之九十二升至百分之九十八。"""

SUBMITTED_TEXT = """一、背景
老年人办理医保、社保业务时常因不会使用手机而往返多次。

二、主要做法
青年服务窗口每周三开设“银龄课堂”，手把手教老年人使用政务服务小程序。

三、成效
已开课四十余期，服务老年群众八百余人次。"""


def build(ctx: DemoContext) -> None:
    city_user, body_user = ctx.users.get("city_admin"), ctx.users.get("shiqi_admin")
    collective = Collective.objects.filter(name=COLLECTIVE).first()
    if city_user is None or body_user is None or collective is None:
        return
    city, body = actor_for(city_user, "127.0.0.1"), actor_for(body_user, "127.0.0.1")
    _rewards(ctx, city, body, collective, _titled(collective))
    _stories(ctx, city, body, collective)


def _titled(collective: Collective) -> Title | None:
    """The demo collective's title or, while it is still creating, a titled neighbour's: the
    honorary reward is tied to a title."""
    titles = Title.objects.filter(status=TitleStatus.ACTIVE).select_related("collective")
    return (
        titles.filter(collective=collective).order_by("-awarded_on").first()
        or titles.filter(collective__body_id=collective.body_id).order_by("id").first()
    )


def _rewards(
    ctx: DemoContext, city: Actor, body: Actor, collective: Collective, title: Title | None
) -> None:
    services.reward_record(
        city,
        collective=title.collective if title else collective,
        title=title,
        kind=RewardKind.HONORARY,
        name="中山市青年文明号示范集体",
        basis="创建工作扎实、服务群众成效突出，年度复核名列前茅。",
        decision_number="中团发〔2025〕21号",
        decided_on=ctx.today - datetime.timedelta(days=200),
        decided_by_org="共青团中山市委员会",
    )
    services.reward_record(
        body,
        collective=collective,
        kind=RewardKind.MATERIAL,
        name="便民服务之星集体奖",
        basis="年度群众评议满意度第一。",
        decision_number="石团〔2025〕9号",
        decided_on=ctx.today - datetime.timedelta(days=90),
        decided_by_org="共青团中山市石岐街道工作委员会",
        amount=Decimal("3000.00"),
        description="奖金用于集体青年学习培训。",
    )


def _stories(ctx: DemoContext, city: Actor, body: Actor, collective: Collective) -> None:
    day = ctx.today - datetime.timedelta(days=30)
    published = services.story_create(
        body,
        collective=collective,
        heading="午间不打烊，便民服务有温度",
        summary="青年服务窗口推出午间轮值服务，群众办事不再请假。",
        text=PUBLISHED_TEXT,
        photos=[photo(ctx, "午间不打烊服务", day), photo(ctx, "上门代办", day)],
    )
    services.story_submit(body, published)
    services.story_approve(city, published)
    services.story_publish(city, published)
    waiting = services.story_create(
        body,
        collective=collective,
        heading="银龄课堂：帮老人跨过数字鸿沟",
        summary="每周开课，教老年人使用政务服务小程序。",
        text=SUBMITTED_TEXT,
    )
    services.story_submit(body, waiting)
