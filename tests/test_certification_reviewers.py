"""Reviewers: areas, the pool, panels, conflicts, the draw and manual assignment, invitations,
reminders, and the reviewer's workspace (home, read-only dossier, nothing else)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qnwmh.access.models import RoleAssignment
from qnwmh.audit.models import AuditEntry
from qnwmh.certification.conflicts import ConflictReason, conflicts_between, same_unit
from qnwmh.certification.models import (
    Assignment,
    AssignmentDraw,
    AssignmentStatus,
    Panel,
    Reviewer,
    RoundStatus,
)
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services import reviewers as pool
from qnwmh.certification.services.assignment import PoolTooSmall
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Role, system_actor
from qnwmh.core.errors import DomainError
from qnwmh.core.nav import all_items
from qnwmh.core.permissions import can
from qnwmh.notices.models import Notice
from tests import factories as f
from tests import factories_certification as fcert
from tests.querycount import assert_constant_queries


def _setup(world: Any, n_reviewers: int = 4, n_apps: int = 3) -> dict[str, Any]:
    """A round in review, one area over both towns, a panel and recommended applications."""
    rnd = fcert.cert_round()
    area = fcert.area([world.town, world.other_town])
    reviewers = [fcert.reviewer(areas=[area]) for _ in range(n_reviewers)]
    panel = Panel.objects.create(round=rnd, area=area)
    panel.members.set(reviewers)
    apps = [fcert.application(rnd, world.collective, status="recommended", area_=area)]
    for i in range(n_apps - 1):
        c = f.collective(world.other_body, name=f"小榄镇青年集体{i}", members=1)
        apps.append(fcert.application(rnd, c, status="recommended", area_=area))
    return {"round": rnd, "area": area, "reviewers": reviewers, "panel": panel, "apps": apps}


def _profile(world: Any, area: Any, **over: Any) -> Reviewer:
    """The world's reviewer account, in the pool."""
    return fcert.reviewer(user=world.users["reviewer"], areas=[area], **over)


# Conflicts ------------------------------------------------------------------------------------


def test_same_unit_compares_normalised_names_and_containment() -> None:
    assert same_unit("中山市人民医院", "中山市 人民医院")
    assert same_unit("中山市人民医院（本部）", "中山市人民医院本部")
    assert same_unit("中山市人民医院", "中山市人民医院急诊科")
    assert not same_unit("中山市", "中山市人民医院")  # too short to be a unit of its own
    assert not same_unit("", "中山市人民医院")
    assert not same_unit("中山大学", "华南理工大学")


def test_automatic_conflicts(world: Any) -> None:
    rnd = fcert.cert_round()
    app = fcert.application(rnd, world.collective, status="recommended")
    Collective.objects.filter(pk=world.collective.pk).update(work_unit="石岐街道办事处")
    app.refresh_from_db()
    assert conflicts_between(fcert.reviewer(body=world.body), app) == [ConflictReason.SAME_BODY]
    # The city is above every body: its staff conflict with every application.
    assert ConflictReason.SAME_BODY in conflicts_between(fcert.reviewer(body=world.city), app)
    assert conflicts_between(fcert.reviewer(body=world.other_body), app) == []
    assert conflicts_between(fcert.reviewer(employer="石岐街道 办事处"), app) == [
        ConflictReason.SAME_EMPLOYER
    ]
    same_town = fcert.reviewer()
    Reviewer.objects.filter(pk=same_town.pk).update(town=world.town)
    assert conflicts_between(same_town, app) == []  # the rule is off by default
    rnd.cycle.rules_snapshot = {**rnd.cycle.rules_snapshot, "conflict_same_town": True}
    rnd.cycle.save()
    app = type(app).objects.get(pk=app.pk)
    assert conflicts_between(same_town, app) == [ConflictReason.SAME_TOWN]


# Areas, pool, panels -------------------------------------------------------------------------


def test_a_town_belongs_to_one_active_area(world: Any) -> None:
    actor = world.actor("city_admin")
    pool.area_create(actor, name="东片", towns=[world.town])
    with pytest.raises(DomainError, match="已属于片区"):
        pool.area_create(actor, name="西片", towns=[world.town, world.other_town])
    with pytest.raises(DomainError, match="同名"):
        pool.area_create(actor, name="东片", towns=[world.other_town])


def test_reviewer_create_goes_through_user_administration(world: Any) -> None:
    area = fcert.area([world.town])
    rv, password = pool.reviewer_create(
        world.actor("city_admin"),
        username="expert1",
        display_name="李专家",
        expertise="公共管理",
        employer="中山大学",
        areas=[area],
    )
    assert rv.user.check_password(password) and rv.user.must_change_password
    assert RoleAssignment.objects.active().filter(user=rv.user, role=Role.REVIEWER).exists()
    assert list(rv.areas.all()) == [area]
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"accounts.role.granted", "certification.reviewer.created"} <= codes


def test_only_city_admins_run_the_pool(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        pool.area_create(world.actor("body_admin"), name="东片", towns=[world.town])
    assert not can(world.actor("body_admin"), "certification.manage_reviewers")
    assert not can(world.actor("reviewer"), "certification.manage_reviewers")


def test_panel_members_serve_the_area_and_the_chair_is_a_member(world: Any) -> None:
    rnd = fcert.cert_round()
    area, elsewhere = fcert.area([world.town]), fcert.area([world.other_town])
    inside, outside = fcert.reviewer(areas=[area]), fcert.reviewer(areas=[elsewhere])
    actor = world.actor("city_admin")
    with pytest.raises(DomainError, match="不服务该片区"):
        pool.panel_save(actor, round=rnd, area=area, members=[inside, outside])
    with pytest.raises(DomainError, match="组长"):
        pool.panel_save(actor, round=rnd, area=area, members=[inside], chair=outside)
    panel = pool.panel_save(actor, round=rnd, area=area, members=[inside], chair=inside)
    assert panel.chair == inside and list(panel.members.all()) == [inside]


# The draw -------------------------------------------------------------------------------------


def test_draw_assigns_n_each_balanced_and_records_the_seed(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = _setup(world, n_reviewers=4, n_apps=4)
    with django_capture_on_commit_callbacks(execute=True):
        record = assigning.draw(world.actor("city_admin"), round=s["round"], area=s["area"], seed=7)
    made = Assignment.objects.filter(draw=record)
    assert made.count() == 12  # 4 applications × 3 (the rules' default)
    assert record.seed == 7 and record.summary["assignments"] == 12
    assert sorted(record.summary["loads"].values()) == [3, 3, 3, 3]
    assert all(a.status == AssignmentStatus.INVITED for a in made)
    assert Notice.objects.filter(code="certification.assignment.invited").count() == 12
    assert AuditEntry.objects.filter(code="certification.assignment.drawn").exists()


def test_draw_never_assigns_a_conflicted_reviewer(world: Any) -> None:
    s = _setup(world, n_reviewers=4, n_apps=1)
    conflicted = s["reviewers"][0]
    Reviewer.objects.filter(pk=conflicted.pk).update(body=world.body)
    assigning.draw(world.actor("city_admin"), round=s["round"], area=s["area"], seed=1)
    assert set(
        Assignment.objects.filter(application=s["apps"][0]).values_list("reviewer", flat=True)
    ) == {r.pk for r in s["reviewers"][1:]}


def test_draw_refuses_when_the_pool_is_too_small(world: Any) -> None:
    s = _setup(world, n_reviewers=2, n_apps=2)
    with pytest.raises(PoolTooSmall, match="超出评审组人数"):
        assigning.draw(world.actor("city_admin"), round=s["round"], area=s["area"])
    assert not Assignment.objects.exists() and not AssignmentDraw.objects.exists()


def test_draw_refuses_when_conflicts_leave_too_few(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    Reviewer.objects.filter(pk=s["reviewers"][0].pk).update(body=world.body)
    with pytest.raises(PoolTooSmall, match="无利益冲突"):
        assigning.draw(world.actor("city_admin"), round=s["round"], area=s["area"])
    assert not Assignment.objects.exists()


def test_a_second_draw_tops_up_without_repeating_a_declined_reviewer(world: Any) -> None:
    s = _setup(world, n_reviewers=4, n_apps=1)
    actor = world.actor("city_admin")
    assigning.draw(actor, round=s["round"], area=s["area"], seed=3)
    first = Assignment.objects.filter(application=s["apps"][0]).first()
    assert first is not None
    f_user = first.reviewer.user
    assigning.decline(f.actor(f_user), assignment=first, reason="出差")
    record = assigning.draw(actor, round=s["round"], area=s["area"], seed=4)
    new = Assignment.objects.get(draw=record)
    assert new.reviewer_id != first.reviewer_id
    live = Assignment.objects.filter(application=s["apps"][0], status__in=["invited", "accepted"])
    assert live.count() == 3


def test_draw_only_while_the_round_is_under_review(world: Any) -> None:
    s = _setup(world)
    type(s["round"]).objects.filter(pk=s["round"].pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(DomainError, match="不在评审阶段"):
        assigning.draw(world.actor("city_admin"), round=s["round"], area=s["area"])


# Manual assignment ----------------------------------------------------------------------------


def test_manual_assignment_refusals(world: Any) -> None:
    s = _setup(world, n_reviewers=4, n_apps=1)
    actor, app = world.actor("city_admin"), s["apps"][0]
    conflicted = fcert.reviewer(areas=[s["area"]], body=world.body)
    with pytest.raises(DomainError, match="利益冲突") as exc:
        assigning.assign(actor, application=app, reviewer=conflicted)
    assert exc.value.field == "reviewer"
    for rv in s["reviewers"][:3]:
        assigning.assign(actor, application=app, reviewer=rv)
    with pytest.raises(PoolTooSmall, match="达到规则规定的人数"):
        assigning.assign(actor, application=app, reviewer=s["reviewers"][3])
    a = Assignment.objects.filter(application=app).first()
    assert a is not None
    assigning.cancel(actor, assignment=a, reason="调整")
    with pytest.raises(DomainError, match="已在评审"):
        assigning.assign(actor, application=app, reviewer=s["reviewers"][1])
    assigning.assign(actor, application=app, reviewer=s["reviewers"][3])


# Invitations ----------------------------------------------------------------------------------


def test_accept_and_decline_are_the_reviewers_own(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    mine = _profile(world, s["area"])
    a = fcert.assignment(s["apps"][0], mine, status="invited")
    other = fcert.assignment(s["apps"][0], s["reviewers"][0], status="invited")
    me = world.actor("reviewer")
    with pytest.raises(PermissionDenied):
        assigning.accept(me, assignment=other)
    with pytest.raises(DomainError, match="谢绝理由"):
        assigning.decline(me, assignment=a, reason="  ")
    assigning.accept(me, assignment=a)
    with pytest.raises(DomainError, match="申明回避"):
        assigning.decline(me, assignment=Assignment.objects.get(pk=a.pk), reason="忙")


def test_decline_tells_the_city(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    a = fcert.assignment(s["apps"][0], _profile(world, s["area"]), status="invited")
    client = world.client("reviewer")
    url = reverse("certification:assignment_decline", args=[a.code])
    assert client.post(url, {"reason": ""}).status_code == 200  # the form says what is missing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "同期出差"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DECLINED and a.decline_reason == "同期出差"
    assert Notice.objects.filter(
        code="certification.assignment.declined", recipient=world.users["city_admin"]
    ).exists()


def test_declaring_a_conflict_cancels_live_assignments_and_hides_the_dossier(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    app = s["apps"][0]
    a = fcert.assignment(app, _profile(world, s["area"]))
    client = world.client("reviewer")
    dossier = reverse("certification:dossier", args=[app.code])
    assert client.get(dossier).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certification:declare_conflict", args=[app.code]), {"reason": "配偶在该单位"}
        )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.CANCELLED
    assert client.get(dossier).status_code == 404
    assert AuditEntry.objects.filter(code="certification.conflict.declared").exists()
    assert Notice.objects.filter(
        code="certification.conflict.declared", recipient=world.users["city_admin"]
    ).exists()
    # Never drawn again for it.
    assert conflicts_between(a.reviewer, app) == [ConflictReason.DECLARED]


def test_an_automatic_conflict_arising_after_assignment_hides_the_dossier(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    app = s["apps"][0]
    rv = _profile(world, s["area"])
    fcert.assignment(app, rv)
    client = world.client("reviewer")
    url = reverse("certification:dossier", args=[app.code])
    assert client.get(url).status_code == 200
    Reviewer.objects.filter(pk=rv.pk).update(body=world.body)
    assert client.get(url).status_code == 404


# Reminders ------------------------------------------------------------------------------------


def test_reminders_once_a_day(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=2)
    rv = _profile(world, s["area"])
    fcert.assignment(s["apps"][0], rv, status="invited")
    fcert.assignment(s["apps"][1], rv, status="invited")
    call_command("remind_reviewers")
    call_command("remind_reviewers")
    sent = Notice.objects.filter(code="certification.assignment.reminder")
    assert sent.count() == 1 and sent.get().recipient == world.users["reviewer"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert assigning.send_reminders(system_actor(), today=tomorrow) == 1


def test_accepted_work_is_reminded_only_when_due_soon(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    rv = _profile(world, s["area"])
    a = fcert.assignment(s["apps"][0], rv, status="accepted")
    assert assigning.send_reminders(system_actor()) == 0  # due in 20 days
    Assignment.objects.filter(pk=a.pk).update(due_on=timezone.localdate())
    assert assigning.send_reminders(system_actor()) == 1


# The reviewer's workspace --------------------------------------------------------------------


def test_home_lists_own_live_assignments_in_constant_queries(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    rv = _profile(world, s["area"])
    fcert.assignment(s["apps"][0], rv, status="invited")
    client = world.client("reviewer")
    url = reverse("certification:review_home")
    assert world.collective.name in client.get(url).content.decode()

    def grow() -> None:
        c = f.collective(world.other_body, members=1)
        fcert.assignment(fcert.application(s["round"], c, status="recommended"), rv)

    assert_constant_queries(lambda: client.get(url), grow)
    assert client.get(url).content.decode().count("/review/applications/") >= 4


def test_reviewer_sees_only_the_workspace_in_the_menu(world: Any) -> None:
    actor = world.actor("reviewer")
    reachable = [i.url_name for i in all_items() if can(actor, i.permission)]
    # Besides the workspace and the score sheets, only what is one's own: generated files and
    # API tokens.
    assert sorted(reachable) == [
        "api:tokens",
        "certification:my_sheets",
        "certification:review_home",
        "downloads:list",
    ]


def test_dossier_shows_the_application_read_only(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    app = s["apps"][0]
    type(app).objects.filter(pk=app.pk).update(
        statement="三年来坚持便民服务。", appraisal={"ratings": 12, "rating_avg": 4.8}
    )
    fcert.assignment(app, _profile(world, s["area"]))
    body = world.client("reviewer").get(reverse("certification:dossier", args=[app.code]))
    text = body.content.decode()
    assert "三年来坚持便民服务。" in text and "4.8" in text
    assert "<textarea" not in text  # nothing to edit


def test_a_reviewer_without_an_assignment_gets_404(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    _profile(world, s["area"])
    url = reverse("certification:dossier", args=[s["apps"][0].code])
    assert world.client("reviewer").get(url).status_code == 404


# Staff pages ----------------------------------------------------------------------------------


def test_staff_pages_draw_and_manual_assign(world: Any) -> None:
    s = _setup(world, n_reviewers=4, n_apps=2)
    client = world.client("city_admin")
    rnd = s["round"]
    assert (
        "自动分配" in client.get(reverse("certification:panels", args=[rnd.code])).content.decode()
    )
    response = client.post(
        reverse("certification:draw", args=[rnd.code]), {"area": s["area"].pk, "seed": "42"}
    )
    assert response.status_code == 302
    assert AssignmentDraw.objects.get().seed == 42
    page = client.get(reverse("certification:assignments", args=[rnd.code])).content.decode()
    assert "42" in page
    # Too few: the message is shown, nothing changes.
    free = next(
        r
        for r in s["reviewers"]
        if not Assignment.objects.filter(application=s["apps"][0], reviewer=r).exists()
    )
    response = client.post(
        reverse("certification:assign", args=[rnd.code, s["apps"][0].code]), {"reviewer": free.pk}
    )
    assert response.status_code == 200 and "达到规则规定的人数" in response.content.decode()
    assert Assignment.objects.count() == 6


def test_tampered_ids_answer_404(world: Any) -> None:
    s = _setup(world, n_reviewers=4, n_apps=1)
    client = world.client("city_admin")
    url = reverse("certification:assign", args=[s["round"].code, s["apps"][0].code])
    assert client.post(url, {"reviewer": "999999"}).status_code == 404


def test_pool_create_page(world: Any) -> None:
    area = fcert.area([world.town])
    response = world.client("city_admin").post(
        reverse("certification:reviewer_create"),
        {
            "username": "expert9",
            "display_name": "王专家",
            "expertise": "社会工作",
            "employer": "中山市社工协会",
            "areas": [area.pk],
        },
    )
    assert response.status_code == 200 and "临时密码" in response.content.decode()
    assert Reviewer.objects.filter(user__username="expert9").exists()


def test_no_answer_once_the_round_is_no_longer_under_review(world: Any) -> None:
    s = _setup(world, n_reviewers=3, n_apps=1)
    a = fcert.assignment(s["apps"][0], _profile(world, s["area"]), status="invited")
    type(s["round"]).objects.filter(pk=s["round"].pk).update(status=RoundStatus.CLOSED)
    with pytest.raises(DomainError, match="不在评审阶段"):
        assigning.accept(world.actor("reviewer"), assignment=a)
    a.refresh_from_db()
    assert a.status == AssignmentStatus.INVITED
