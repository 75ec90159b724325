"""The consultation demo opens the 2018 policy draft, with its real sections, to every
managing body, with a comment on two sections, an explicit 无意见, a body that has only read
it and a public comment."""

from __future__ import annotations

from typing import Any

from qnwmh.consultation import demo
from qnwmh.consultation.models import Consultation, RespondentStatus, Status
from qnwmh.consultation.selectors import summary
from qnwmh.core.demo_context import DemoContext
from qnwmh.orgs.models import Organisation


def test_demo_opens_the_policy_text_with_replies(world: Any) -> None:
    ctx = DemoContext(seed=7)
    ctx.users.update(
        {
            "city_admin": world.users["city_admin"],
            "shiqi_admin": world.users["body_admin"],
            "xiaolan_admin": world.users["outsider"],
        }
    )
    demo.build(ctx)
    c = Consultation.objects.get()
    assert c.status == Status.OPEN and c.allow_public
    headings = [f"{s.number}{s.heading}" for s in c.sections.order_by("position")]
    assert len(headings) == 17 and headings[1] == "一、指导思想"
    assert c.respondents.count() == Organisation.objects.bodies().filter(active=True).count()
    s = summary(c)
    assert s.status_counts[RespondentStatus.COMMENTED] == 1
    assert s.status_counts[RespondentStatus.NO_COMMENT] == 1
    assert s.comment_count == 3 and s.public_count == 1
