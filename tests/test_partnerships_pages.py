"""Partnerships through the back-office pages: a body proposes, the city confirms or returns
(a return without a reason is a form error), a milestone and an activity with photos are
recorded, the proposing body closes; lists filter, export and cost constant queries; the
collective's office and public pages show the panels."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.creation.models import LogEntry
from qnwmh.partnerships.models import JointCreation, MentorPair, Status
from tests import evidence_files as ef
from tests import factories as f
from tests import factories_partnerships as fp
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate


def test_a_joint_project_through_the_pages(world: Any) -> None:
    body, city, manager = (world.client(r) for r in ("body_admin", "city_admin", "manager"))
    partner = fp.titled_partner(world)
    response = body.post(
        reverse("partnerships:joint_propose"),
        {
            "name": "双窗口联创",
            "goal": "共享服务标准。",
            "partners": [world.collective.pk, partner.pk],
            "milestones": f"{TODAY().isoformat()} 联合制定标准\n2099-01-01 联合练兵",
        },
    )
    p = JointCreation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(p.code + "/")
    assert [m.name for m in p.milestones.all()] == ["联合制定标准", "联合练兵"]

    detail = reverse("partnerships:joint", args=[p.code])
    assert 'data-testid="decide"' in city.get(detail).content.decode()
    assert 'data-testid="decide"' not in body.get(detail).content.decode()
    # Confirming cannot be undone: without the confirmation the server asks first.
    asked = city.post(reverse("partnerships:joint_confirm", args=[p.code]))
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    p.refresh_from_db()
    assert p.status == Status.PROPOSED
    response = city.post(reverse("partnerships:joint_confirm", args=[p.code]), {"confirmed": "1"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.ACTIVE

    response = manager.post(
        reverse("partnerships:milestone_done", args=[p.code, 1]),
        {
            "done_on": TODAY().isoformat(),
            "note": "已印发。",
            "files": [ef.upload("m.jpg", ef.jpeg(), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    assert p.milestones.get(number=1).evidence.count() == 1

    response = body.post(reverse("partnerships:joint_close", args=[p.code]), {"outcome": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    close = reverse("partnerships:joint_close", args=[p.code])
    asked = body.post(close, {"outcome": "标准统一。"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    p.refresh_from_db()
    assert p.status == Status.ACTIVE
    body.post(close, {"outcome": "标准统一。", "confirmed": "1"})
    p.refresh_from_db()
    assert p.status == Status.CLOSED


def test_proposal_form_shows_the_services_refusal(world: Any) -> None:
    response = world.client("body_admin").post(
        reverse("partnerships:joint_propose"),
        {
            "name": "联创",
            "goal": "目标",
            "partners": [world.collective.pk],
            "milestones": "2099-01-01 节点",
        },
    )
    assert response.status_code == 400
    assert "号号联创至少需要 2 个青年文明号集体。" in response.content.decode()
    response = world.client("body_admin").post(
        reverse("partnerships:joint_propose"),
        {
            "name": "联创",
            "goal": "目标",
            "partners": [world.collective.pk],
            "milestones": "明年 节点",
        },
    )
    assert "第 1 行" in response.content.decode()
    assert not JointCreation.objects.exists()


def test_returning_without_a_reason_is_a_form_error(world: Any) -> None:
    p = fp.joint(world)
    city = world.client("city_admin")
    response = city.post(reverse("partnerships:joint_return", args=[p.code]), {"reason": ""})
    assert response.status_code == 400
    p.refresh_from_db()
    assert p.status == Status.PROPOSED
    city.post(reverse("partnerships:joint_return", args=[p.code]), {"reason": "节点不具体。"})
    p.refresh_from_db()
    assert p.status == Status.RETURNED
    page = world.client("body_admin").get(reverse("partnerships:joint", args=[p.code]))
    assert "节点不具体。" in page.content.decode()


def test_a_pair_through_the_pages(world: Any) -> None:
    body, city, manager = (world.client(r) for r in ("body_admin", "city_admin", "manager"))
    mentee = fp.mentee(world)
    form = body.get(reverse("partnerships:pair_propose")).content.decode()
    assert mentee.name in form and world.other_collective.name not in form
    response = body.post(
        reverse("partnerships:pair_propose"),
        {"mentor": world.collective.pk, "mentee": mentee.pk, "plan": "跟岗学习。"},
    )
    pair = MentorPair.objects.get()
    assert response.status_code == 302
    assert city.post(reverse("partnerships:pair_confirm", args=[pair.code])).status_code == 200
    pair.refresh_from_db()
    assert pair.status == Status.PROPOSED  # asked first
    city.post(reverse("partnerships:pair_confirm", args=[pair.code]), {"confirmed": "1"})
    held = TODAY() - datetime.timedelta(days=1)
    response = manager.post(
        reverse("partnerships:activity_record", args=[pair.code]),
        {
            "name": "跟岗学习",
            "occurred_on": held.isoformat(),
            "participants": "8",
            "description": "学习服务规范。",
            "photos": [ef.upload("a.jpg", ef.jpeg(), "image/jpeg")],
        },
    )
    assert response.status_code == 302
    assert LogEntry.objects.filter(origin__startswith="partnerships.pairactivity:").count() == 2
    page = manager.get(reverse("partnerships:pair", args=[pair.code])).content.decode()
    assert "跟岗学习" in page and 'data-testid="close"' not in page  # the body's review
    response = body.post(
        reverse("partnerships:pair_close", args=[pair.code]),
        {"review": "帮带到位。", "rating": "achieved"},
    )
    pair.refresh_from_db()
    assert response.status_code == 200 and pair.status == Status.ACTIVE  # asked first
    body.post(
        reverse("partnerships:pair_close", args=[pair.code]),
        {"review": "帮带到位。", "rating": "achieved", "confirmed": "1"},
    )
    pair.refresh_from_db()
    assert pair.status == Status.CLOSED


def test_a_second_open_pair_for_a_mentee_is_refused_on_the_form(world: Any) -> None:
    fp.pair(world)
    response = world.client("body_admin").post(
        reverse("partnerships:pair_propose"),
        {"mentor": fp.titled_partner(world).pk, "mentee": fp.mentee(world).pk, "plan": "计划"},
    )
    assert response.status_code == 400
    assert "该创建集体本周期已有结对，不能重复结对。" in response.content.decode()
    assert MentorPair.objects.count() == 1


def test_lists_filter_and_export(world: Any) -> None:
    fp.joint(world, name="待确认的联创")
    fp.joint(world, Status.ACTIVE, name="进行中的联创")
    city = world.client("city_admin")
    html = city.get(reverse("partnerships:joints"), {"status": "active"}).content.decode()
    assert "进行中的联创" in html and "待确认的联创" not in html
    response = city.get(reverse("partnerships:joints"), {"format": "xlsx", "status": "active"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["进行中的联创"]
    fp.pair(world)
    response = city.get(reverse("partnerships:pairs"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [fp.mentee(world).name]


def test_lists_cost_constant_queries(world: Any) -> None:
    city = world.client("city_admin")
    made = {"n": 0}

    def grow() -> None:
        for _ in range(3):
            made["n"] += 1
            fp.joint(world, name=f"联创{made['n']}")
            c = f.collective(world.body, members=1)
            f.title(c)
            services_pair(world, mentor=c)

    for name in ("partnerships:joints", "partnerships:pairs"):
        assert_constant_queries(lambda n=name: city.get(reverse(n)), grow)


def services_pair(world: Any, *, mentor: Any) -> None:
    from qnwmh.cycles.models import RegistrationStatus
    from qnwmh.partnerships import services
    from tests import factories_cycles as fc

    mentee = f.collective(world.body, members=1)
    cycle = _cycle_of(fp.mentee(world))
    fc.registration(cycle, mentee, status=RegistrationStatus.ACCEPTED)
    services.pair_propose(world.actor("body_admin"), mentor=mentor, mentee=mentee, plan="计划")


def _cycle_of(collective: Any) -> Any:
    return collective.registrations.get().cycle


def test_panels_on_the_collectives_pages(world: Any) -> None:
    fp.joint(world, name="待确认的联创")
    fp.joint(world, Status.ACTIVE, name="进行中的联创")
    office = world.client("manager").get(
        reverse("collectives:detail", args=[world.collective.code])
    )
    html = office.content.decode()
    assert "待确认的联创" in html and "进行中的联创" in html
    public = world.client("anonymous").get(
        reverse("public:collective", args=[world.collective.code])
    )
    html = public.content.decode()
    assert public.status_code == 200
    assert "进行中的联创" in html and "待确认的联创" not in html


def test_panels_cost_constant_queries(world: Any) -> None:
    made = {"n": 0}

    pair = fp.pair(world, Status.ACTIVE)

    def grow() -> None:
        for _ in range(2):
            made["n"] += 1
            fp.joint(world, Status.ACTIVE, name=f"联创{made['n']}")
            # Pairs grow too (made directly: the policy caps a mentor's open pairs).
            MentorPair.objects.create(
                body=world.body,
                mentor=world.collective,
                mentee=f.collective(world.body, members=1),
                cycle=pair.cycle,
                plan="计划",
                status=Status.ACTIVE,
            )

    office = world.client("body_admin")
    public = world.client("anonymous")
    assert_constant_queries(
        lambda: office.get(reverse("collectives:detail", args=[world.collective.code])), grow
    )
    assert_constant_queries(
        lambda: public.get(reverse("public:collective", args=[world.collective.code])), grow
    )


def test_every_party_opens_milestone_evidence_another_partner_uploaded(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Evidence is stored under the partner who uploaded it (here in another body); the
    proposing body and the other partner's manager open it too, an outsider does not."""
    from django.test import Client

    from qnwmh.core.actor import Role
    from qnwmh.partnerships import services

    f.title(world.other_collective)
    p = services.joint_propose(
        world.actor("body_admin"),
        name="跨镇联创",
        goal="共享服务标准。",
        partners=[world.collective, world.other_collective],
        milestones=[("联合制定标准", TODAY())],
    )
    services.joint_confirm(world.actor("city_admin"), p)
    uploader = f.user("partner", Role.COLLECTIVE_MANAGER, collective=world.other_collective)
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_done(
            f.actor(uploader),
            p,
            p.milestones.get(),
            done_on=TODAY(),
            note="已印发。",
            files=[ef.upload("m.jpg", ef.jpeg(), "image/jpeg")],
        )
    evidence = p.milestones.get().evidence.get()
    assert evidence.collective == world.other_collective
    url = reverse("evidence:file", args=[evidence.code])
    for role in ("body_admin", "manager"):
        assert world.client(role).get(url).status_code == 200, role
    stranger = Client()
    stranger.force_login(f.user("stranger", Role.BODY_ADMIN, organisation=f.body(f.town("古镇"))))
    assert stranger.get(url).status_code == 404


def test_the_photo_limit_on_the_pages_is_the_rules(world: Any, monkeypatch: Any) -> None:
    from qnwmh.partnerships import views
    from qnwmh.partnerships.policy import PartnershipRules

    monkeypatch.setattr(views, "RULES", PartnershipRules(max_photos=4))
    manager = world.client("manager")
    pair = fp.pair(world, Status.ACTIVE)
    assert (
        "最多 4 张" in manager.get(reverse("partnerships:pair", args=[pair.code])).content.decode()
    )
    project = fp.joint(world, Status.ACTIVE)
    page = manager.get(reverse("partnerships:joint", args=[project.code])).content.decode()
    assert "最多 4 个" in page
