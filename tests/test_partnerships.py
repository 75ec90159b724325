"""Joint creation (号号联创) and mentor pairs (新老结对) through their services: a body proposes,
the city confirms or returns with a reason, milestones and activities are recorded (a pair's
activity lands in both collectives' creation logs), the body closes; and the bad input the
issue names is refused with a Chinese message and nothing changed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from qnwmh.core.panels import OFFICE_COLLECTIVE, PUBLIC_COLLECTIVE, panels
from qnwmh.creation.models import EntryKind, LogEntry
from qnwmh.notices.models import Notice
from qnwmh.partnerships import selectors as sel
from qnwmh.partnerships import services
from qnwmh.partnerships.models import JointCreation, MentorPair, PairActivity, Status
from tests import evidence_files as ef
from tests import factories as f
from tests import factories_partnerships as fp

DAY = datetime.timedelta(days=1)


def _told(code: str) -> set[int]:
    return set(Notice.objects.filter(code=code).values_list("recipient", flat=True))


# Joint creation -------------------------------------------------------------------------------


def test_joint_project_from_proposal_to_outcome(world: Any, django_capture_on_commit_callbacks):
    body, city, manager = (world.actor(r) for r in ("body_admin", "city_admin", "manager"))
    with django_capture_on_commit_callbacks(execute=True):
        p = fp.joint(world)
    assert p.status == Status.PROPOSED and p.body_id == world.body.pk
    assert world.users["city_admin"].pk in _told("partnerships.joint.proposed")
    assert [m.number for m in p.milestones.all()] == [1, 2]

    with django_capture_on_commit_callbacks(execute=True):
        services.joint_confirm(city, p)
    told = _told("partnerships.joint.confirmed")
    assert {world.users["body_admin"].pk, world.users["manager"].pk} <= told

    first = p.milestones.get(number=1)
    photo = ef.upload("a.jpg", ef.jpeg(), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_done(
            manager, p, first, done_on=timezone.localdate(), note="标准已印发。", files=[photo]
        )
    first.refresh_from_db()
    assert first.done_on == timezone.localdate() and first.evidence.count() == 1
    with pytest.raises(DomainError, match="已登记完成"):
        services.milestone_done(manager, p, first, done_on=timezone.localdate(), note="再次")

    with pytest.raises(PermissionDenied):  # the outcome is the body's, not the partners'
        services.joint_close(manager, p, outcome="完成")
    services.joint_close(body, p, outcome="两窗口服务标准统一。")
    p.refresh_from_db()
    assert p.status == Status.CLOSED and p.outcome == "两窗口服务标准统一。"
    codes = set(AuditEntry.objects.filter(object_id=str(p.pk)).values_list("code", flat=True))
    assert {
        "partnerships.joint.proposed",
        "partnerships.joint.confirmed",
        "partnerships.milestone.done",
        "partnerships.joint.closed",
    } <= codes
    with pytest.raises(DomainError, match="不能执行此操作"):
        services.joint_confirm(city, p)


def test_joint_refuses_too_few_or_untitled_partners(world: Any):
    body = world.actor("body_admin")
    untitled = f.collective(world.body, name="未获称号集体", members=2)
    due = [("节点", timezone.localdate())]
    with pytest.raises(DomainError, match="至少需要 2 个"):
        services.joint_propose(
            body, name="联创", goal="目标", partners=[world.collective], milestones=due
        )
    with pytest.raises(DomainError, match="未持有有效的青年文明号称号：未获称号集体"):
        services.joint_propose(
            body, name="联创", goal="目标", partners=[world.collective, untitled], milestones=due
        )
    with pytest.raises(DomainError, match="至少填写一个节点"):
        services.joint_propose(
            body,
            name="联创",
            goal="目标",
            partners=[world.collective, fp.titled_partner(world)],
            milestones=[],
        )
    assert not JointCreation.objects.exists()


def test_a_body_proposes_only_with_one_of_its_own_collectives(world: Any):
    other = f.collective(world.other_body, members=2)
    f.title(other)
    with pytest.raises(PermissionDenied):
        services.joint_propose(
            world.actor("body_admin"),
            name="联创",
            goal="目标",
            partners=[world.other_collective, other],
            milestones=[("节点", timezone.localdate())],
        )
    p = fp.joint(world)
    with pytest.raises(PermissionDenied):  # the city confirms, not the proposing body
        services.joint_confirm(world.actor("body_admin"), p)


def test_returning_needs_a_reason_and_keeps_the_proposal(
    world: Any, django_capture_on_commit_callbacks
):
    city = world.actor("city_admin")
    p = fp.joint(world)
    with pytest.raises(DomainError, match="请填写退回理由"):
        services.joint_return(city, p, reason="  ")
    p.refresh_from_db()
    assert p.status == Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.joint_return(city, p, reason="节点不具体。")
    p.refresh_from_db()
    assert p.status == Status.RETURNED and p.return_reason == "节点不具体。"
    assert world.users["body_admin"].pk in _told("partnerships.joint.returned")
    with pytest.raises(DomainError, match="已退回"):
        services.joint_confirm(city, p)


# Mentor pairs ------------------------------------------------------------------------------------


def test_pair_activity_goes_into_both_creation_logs(world: Any, django_capture_on_commit_callbacks):
    city, manager = world.actor("city_admin"), world.actor("manager")
    with django_capture_on_commit_callbacks(execute=True):
        pair = fp.pair(world)
    assert world.users["city_admin"].pk in _told("partnerships.pair.proposed")
    with pytest.raises(DomainError, match="确认后"):  # not before the city confirms
        services.activity_record(
            manager, pair, name="跟岗", occurred_on=timezone.localdate(), description="学习"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_confirm(city, pair)
    assert world.users["manager"].pk in _told("partnerships.pair.confirmed")

    photo = ef.upload("p.jpg", ef.jpeg(), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        a = services.activity_record(
            manager,
            pair,
            name="跟岗学习",
            occurred_on=timezone.localdate() - DAY,
            place="便民服务中心",
            participants=12,
            description="学习窗口服务规范。",
            photos=[photo],
        )
    assert a.logged == 2
    entries = LogEntry.objects.filter(origin=f"partnerships.pairactivity:{a.code}")
    assert {e.collective_id for e in entries} == {world.collective.pk, pair.mentee_id}
    assert {e.kind for e in entries} == {EntryKind.EXCHANGE_VISIT}
    # The photo is stored once, under the side the mentor's manager may upload for (its own),
    # and attached to both entries.
    (photo_file,) = a.photos.all()
    assert photo_file.collective_id == world.collective.pk
    for e in entries:
        assert list(e.attachments.all()) == [photo_file]


def test_pair_refusals_leave_nothing(world: Any):
    body = world.actor("body_admin")
    mentee = fp.mentee(world)
    untitled = f.collective(world.body, members=2)
    with pytest.raises(DomainError, match="导师集体须持有"):
        services.pair_propose(body, mentor=untitled, mentee=mentee, plan="计划")
    with pytest.raises(DomainError, match="须已在本创建周期报备"):
        services.pair_propose(body, mentor=world.collective, mentee=untitled, plan="计划")
    with pytest.raises(DomainError, match="不能相同"):
        services.pair_propose(body, mentor=world.collective, mentee=world.collective, plan="x")
    with pytest.raises(PermissionDenied):  # the mentee's body proposes
        services.pair_propose(
            world.actor("outsider"), mentor=world.collective, mentee=mentee, plan="计划"
        )
    assert not MentorPair.objects.exists()
    fp.pair(world)
    with pytest.raises(DomainError, match="本周期已有结对"):  # policy.RULES: one open pair
        services.pair_propose(body, mentor=fp.titled_partner(world), mentee=mentee, plan="计划")
    assert MentorPair.objects.count() == 1


def test_no_pair_is_proposed_into_a_finished_cycle(world: Any):
    """The only opened cycle has ended (current_cycle falls back to it): refused."""
    mentee = fp.mentee(world)
    cycle = mentee.registrations.get().cycle
    ended = timezone.localdate() - DAY
    cycle.registration_opens_on = ended - datetime.timedelta(days=300)
    cycle.registration_closes_on = ended - datetime.timedelta(days=280)
    cycle.creation_ends_on = ended - datetime.timedelta(days=60)
    cycle.certification_starts_on = ended - datetime.timedelta(days=50)
    cycle.certification_ends_on = ended
    cycle.save()
    with pytest.raises(DomainError, match="没有正在进行的创建周期"):
        services.pair_propose(
            world.actor("body_admin"), mentor=world.collective, mentee=mentee, plan="计划"
        )
    assert not MentorPair.objects.exists()


def test_a_returned_pair_frees_the_mentee(world: Any):
    city, body = world.actor("city_admin"), world.actor("body_admin")
    first = fp.pair(world, Status.RETURNED)
    assert first.status == Status.RETURNED
    again = services.pair_propose(
        body, mentor=fp.titled_partner(world), mentee=fp.mentee(world), plan="新的计划"
    )
    services.pair_confirm(city, again)
    assert MentorPair.objects.filter(status=Status.ACTIVE).count() == 1


def test_closing_review_is_the_bodys(world: Any):
    pair = fp.pair(world, Status.ACTIVE)
    with pytest.raises(PermissionDenied):
        services.pair_close(world.actor("manager"), pair, review="好", rating="achieved")
    with pytest.raises(DomainError, match="评价结论"):
        services.pair_close(world.actor("body_admin"), pair, review="好", rating="great")
    services.pair_close(world.actor("body_admin"), pair, review="帮带到位。", rating="partly")
    pair.refresh_from_db()
    assert pair.status == Status.CLOSED and pair.rating == "partly"
    with pytest.raises(DomainError, match="确认后"):
        services.activity_record(
            world.actor("manager"),
            pair,
            name="x",
            occurred_on=timezone.localdate(),
            description="y",
        )
    assert not PairActivity.objects.exists()


def test_future_activity_refused(world: Any):
    pair = fp.pair(world, Status.ACTIVE)
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.activity_record(
            world.actor("manager"),
            pair,
            name="x",
            occurred_on=timezone.localdate() + DAY,
            description="y",
        )
    assert not PairActivity.objects.exists()


# Scope and panels --------------------------------------------------------------------------------


def test_scope_of_lists(world: Any):
    p, pair = fp.joint(world), fp.pair(world)
    assert list(sel.project_list(world.actor("outsider"))) == []
    assert list(sel.pair_list(world.actor("outsider"))) == []
    for role in ("city_admin", "body_admin", "manager"):
        assert list(sel.project_list(world.actor(role))) == [p], role
        assert list(sel.pair_list(world.actor(role))) == [pair], role
    # A partner in another body brings that body in.
    other = f.collective(world.other_body, members=2)
    f.title(other)
    p.partners.add(other)
    assert list(sel.project_list(world.actor("outsider"))) == [p]


def mine(found: list[Any]) -> list[Any]:
    """This app's panels among every app's."""
    return [p for p in found if p.template.startswith("partnerships/")]


def test_panels_show_proposals_in_the_office_and_only_confirmed_ones_in_public(world: Any):
    fp.joint(world, name="待确认联创")
    fp.joint(world, Status.ACTIVE, name="已确认联创")
    office = mine(panels(OFFICE_COLLECTIVE, world.actor("manager"), world.collective))
    public = mine(panels(PUBLIC_COLLECTIVE, world.collective))
    office_names = {p.name for panel in office for p in panel.context["projects"]}
    public_names = {p.name for panel in public for p in panel.context["projects"]}
    assert office_names == {"待确认联创", "已确认联创"}
    assert public_names == {"已确认联创"}
    assert mine(panels(PUBLIC_COLLECTIVE, world.other_collective)) == []


def test_a_second_partners_manager_keeps_milestone_evidence_under_its_own_collective(
    world: Any,
):
    p = fp.joint(world, Status.ACTIVE)
    partner = fp.titled_partner(world)
    own = f.actor(f.user(None, "collective_manager", collective=partner))
    m = services.milestone_done(
        own,
        p,
        p.milestones.get(number=1),
        done_on=timezone.localdate(),
        note="已完成。",
        files=[ef.upload("m.jpg", ef.jpeg(), "image/jpeg")],
    )
    (stored,) = m.evidence.all()
    assert stored.collective_id == partner.pk


def test_a_pair_activity_goes_into_the_logs_in_chinese_whoever_records_it(world: Any) -> None:
    """The log entries' text is stored, and read by everyone: a clerk working in English
    still writes it in the site's language."""
    from django.utils import translation

    pair = fp.pair(world, Status.ACTIVE)
    with translation.override("en"):
        a = services.activity_record(
            world.actor("manager"),
            pair,
            name="跟岗学习",
            occurred_on=timezone.localdate() - DAY,
            description="学习窗口服务规范。",
        )
    entries = LogEntry.objects.filter(origin=f"partnerships.pairactivity:{a.code}")
    assert {e.title for e in entries} == {"新老结对：跟岗学习"}
    assert all(e.description.startswith("与 ") for e in entries)
