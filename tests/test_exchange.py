"""Exchange events end to end through the services: registration up to the limit (beyond it
refused, nothing changed), attendance, minutes and photos, closing into the creation logs;
a mutual visit closed only after both sides' appraisals; scope and notices."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from qnwmh.core.errors import DomainError
from qnwmh.creation.models import EntryKind, LogEntry
from qnwmh.exchange import selectors as sel
from qnwmh.exchange import services
from qnwmh.exchange.models import (
    AppraisalItem,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from qnwmh.notices.models import Notice
from tests import factories as f
from tests import factories_cycles as fc
from tests import factories_exchange as fx


def _state(event: Event) -> tuple:
    event.refresh_from_db()
    regs = list(event.registrations.values_list("collective_id", "status").order_by("id"))
    return (event.status, event.registered_count, regs)


def test_appraisal_form_is_seeded_by_the_data_migration(world):
    labels = list(AppraisalItem.objects.values_list("label", flat=True))
    assert labels == ["服务规范", "创建特色", "团队风貌", "可借鉴做法"]


def test_exhibition_from_invitation_to_the_creation_log(world, django_capture_on_commit_callbacks):
    fc.cycle()
    city = fx.city(world)
    with django_capture_on_commit_callbacks(execute=True):
        e = fx.event(world, capacity=2)
        services.event_open(city, e)
    # The invited body's admins are told; the draft told nobody.
    assert Notice.objects.filter(
        recipient=world.users["body_admin"], code="exchange.event.invited"
    ).exists()
    assert not Notice.objects.filter(recipient=world.users["outsider"]).exists()
    second = f.collective(world.body, name="石岐街道第二青年集体")
    services.register(world.actor("manager"), e, collective=world.collective, people=4)
    services.register(world.actor("body_admin"), e, collective=second)
    services.event_hold(city, e)
    services.record_attendance(city, e, attended=[world.collective.id])
    with django_capture_on_commit_callbacks(execute=True):
        services.record_minutes(city, e, minutes="交流了创建做法。", photos=[fx.jpeg()])
    services.event_close(city, e)
    e.refresh_from_db()
    assert e.status == EventStatus.CLOSED and e.photos.count() == 1
    entry = LogEntry.objects.get(collective=world.collective, origin=f"exchange.event:{e.code}")
    assert entry.kind == EntryKind.EXCHANGE_VISIT and entry.participants == 4
    assert entry.occurred_on == e.held_on and entry.description == "交流了创建做法。"
    assert list(entry.attachments.all()) == list(e.photos.all())
    # The absent collective's log has nothing (it keeps none anyway: untitled, unregistered).
    assert not LogEntry.objects.filter(collective=second).exists()


def test_a_meeting_goes_into_the_log_as_a_meeting(world):
    fc.cycle()
    city = fx.city(world)
    e = fx.event(world, kind=EventKind.MEETING, status=EventStatus.OPEN)
    services.register(city, e, collective=world.collective)
    services.event_hold(city, e)
    services.record_attendance(city, e, attended=[world.collective.id])
    services.event_close(city, e)
    assert LogEntry.objects.get(collective=world.collective).kind == EntryKind.MEETING


def test_registering_beyond_the_limit_is_refused_and_changes_nothing(world):
    e = fx.event(world, capacity=1, bodies=[world.body, world.other_body], status="open")
    services.register(world.actor("manager"), e, collective=world.collective)
    before = _state(e)
    with pytest.raises(DomainError, match="报名已满（名额上限 1 个集体）"):
        services.register(world.actor("outsider"), e, collective=world.other_collective)
    assert _state(e) == before
    assert not Registration.objects.filter(collective=world.other_collective).exists()


def test_a_withdrawal_frees_its_place(world):
    e = fx.event(world, capacity=1, bodies=[world.body, world.other_body], status="open")
    r = services.register(world.actor("manager"), e, collective=world.collective)
    services.withdraw(world.actor("manager"), r)
    services.register(world.actor("outsider"), e, collective=world.other_collective)
    # And back again: refused, the place is taken.
    with pytest.raises(DomainError, match="报名已满"):
        services.register(world.actor("manager"), e, collective=world.collective)
    e.refresh_from_db()
    assert e.registered_count == 1
    r.refresh_from_db()
    assert r.status == RegistrationStatus.WITHDRAWN


@pytest.mark.parametrize(
    "case, message",
    [
        ("twice", "已报名本活动"),
        ("not_invited", "不在本活动的邀请范围内"),
        ("draft", "不接受报名"),
        ("deadline", "报名已于"),
        ("people", "参加人数须在"),
        ("past", "报名已关闭"),
    ],
)
def test_registration_refusals(world, case, message):
    status = "draft" if case == "draft" else "open"
    closes = timezone.localdate() - datetime.timedelta(days=1) if case == "deadline" else None
    e = fx.event(world, status=status, closes=closes, days_ago=1 if case == "past" else -5)
    manager = world.actor("manager")
    if case == "twice":
        services.register(manager, e, collective=world.collective)
    collective = world.collective
    if case == "not_invited":
        collective = world.other_collective
        manager = world.actor("outsider")
    before = _state(e)
    with pytest.raises(DomainError, match=message):
        services.register(manager, e, collective=collective, people=0 if case == "people" else 1)
    assert _state(e) == before


def test_registering_someone_elses_collective_is_forbidden(world):
    e = fx.event(world, bodies=[world.body, world.other_body], status="open")
    with pytest.raises(PermissionDenied):
        services.register(world.actor("manager"), e, collective=world.other_collective)


def test_states_refuse_out_of_order_moves(world):
    city = fx.city(world)
    e = fx.event(world)
    with pytest.raises(DomainError, match="不能转为"):
        services.event_hold(city, e)
    future = fx.event(world, status="open", days_ago=-3)
    with pytest.raises(DomainError, match="未到"):
        services.event_hold(city, future)
    held = fx.event(world, status="open")
    services.register(city, held, collective=world.collective)
    services.event_hold(city, held)
    with pytest.raises(DomainError, match="出席情况"):
        services.event_close(city, held)
    with pytest.raises(DomainError, match="取消原因"):
        services.event_cancel(city, fx.event(world), reason=" ")
    with pytest.raises(DomainError, match="不能转为"):
        services.event_cancel(city, held, reason="天气原因")


def test_cancelling_an_open_event_tells_the_invited(world, django_capture_on_commit_callbacks):
    e = fx.event(world, status="open")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(fx.city(world), e, reason="场地临时调整")
    assert Notice.objects.filter(
        recipient=world.users["body_admin"], code="exchange.event.cancelled"
    ).exists()


def test_a_body_organises_for_its_own_body_only(world):
    admin = world.actor("body_admin")
    values = {
        "kind": EventKind.MEETING,
        "title": "经验交流会",
        "held_on": timezone.localdate(),
        "place": "会议室",
        "invited_bodies": [world.body],
    }
    e = services.event_create(admin, organiser=world.body, **values)
    assert e.organiser == world.body
    with pytest.raises(PermissionDenied):
        services.event_create(admin, organiser=world.other_body, **values)
    with pytest.raises(PermissionDenied):
        services.event_create(admin, organiser=world.city, **values)
    with pytest.raises(DomainError, match="至少邀请"):
        services.event_create(admin, organiser=world.body, **{**values, "invited_bodies": []})


def test_mutual_visit_closes_after_both_appraisals(world, django_capture_on_commit_callbacks):
    fc.cycle()
    city = fx.city(world)
    e = fx.mutual_visit(world, status="open")
    assert e.registered_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.event_hold(city, e)
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="exchange.event.appraisal_due"
    ).exists()
    a = services.appraise(
        world.actor("manager"), e, by_collective=world.collective, scores=fx.full_scores(5)
    )
    assert a.of_collective == world.other_collective and a.average == 5.0
    services.record_attendance(city, e, attended=[world.collective.id, world.other_collective.id])
    with pytest.raises(DomainError, match="双方都完成互评"):
        services.event_close(city, e)
    with pytest.raises(DomainError, match="已提交评价"):
        services.appraise(
            world.actor("manager"), e, by_collective=world.collective, scores=fx.full_scores()
        )
    services.appraise(
        world.actor("outsider"), e, by_collective=world.other_collective, scores=fx.full_scores(3)
    )
    services.event_close(city, e)
    entry = LogEntry.objects.get(collective=world.collective)
    assert entry.kind == EntryKind.EXCHANGE_VISIT and entry.origin == f"exchange.event:{e.code}"


def test_an_appraisal_needs_every_item_scored_one_to_five(world):
    e = fx.mutual_visit(world, status="held")
    scores = fx.full_scores()
    scores["team"] = (6, "")
    with pytest.raises(DomainError, match="团队风貌"):
        services.appraise(world.actor("manager"), e, by_collective=world.collective, scores=scores)
    del scores["team"]
    with pytest.raises(DomainError, match="团队风貌"):
        services.appraise(world.actor("manager"), e, by_collective=world.collective, scores=scores)
    assert not e.appraisals.exists()
    with pytest.raises(PermissionDenied):
        services.appraise(
            world.actor("body_admin"), e, by_collective=world.other_collective, scores=scores
        )


def test_mutual_visit_needs_two_different_sides(world):
    with pytest.raises(DomainError, match="不能相同"):
        services.event_create(
            fx.city(world),
            kind=EventKind.MUTUAL_VISIT,
            title="互访",
            organiser=world.city,
            held_on=timezone.localdate(),
            place="窗口",
            host=world.collective,
            guest=world.collective,
        )


def test_scope_of_the_events(world):
    draft = fx.event(world, title="草稿")
    opened = fx.event(world, status="open", title="报名中")
    other = fx.event(world, bodies=[world.other_body], status="open", title="小榄")

    def seen(role):
        return set(sel.events_visible_to(world.actor(role)).values_list("title", flat=True))

    assert seen("city_admin") == {"草稿", "报名中", "小榄"}
    assert seen("body_admin") == {"报名中"}
    assert seen("manager") == {"报名中"}
    assert seen("outsider") == {"小榄"}
    assert seen("reviewer") == set()
    assert draft and opened and other
    # A body's own draft is its admins'.
    admin = world.actor("body_admin")
    services.event_create(
        admin,
        kind=EventKind.MEETING,
        title="本机构草稿",
        organiser=world.body,
        held_on=timezone.localdate(),
        place="会议室",
        invited_bodies=[world.other_body],
    )
    assert "本机构草稿" in seen("body_admin") and "本机构草稿" not in seen("outsider")


def test_reminders_on_their_days(world):
    today = timezone.localdate()
    e = fx.event(world, status="open", closes=today + datetime.timedelta(days=2), days_ago=-5)
    services.remind(fx.city(world), today=today - datetime.timedelta(days=1))
    assert not Notice.objects.filter(code="exchange.event.registration_closes").exists()
    out = io.StringIO()
    call_command("remind_exchange", "--date", today.isoformat(), stdout=out)
    assert "reminded" in out.getvalue()
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="exchange.event.registration_closes"
    ).exists()
    services.register(world.actor("manager"), e, collective=world.collective)
    fx.mutual_visit(world, status="held", days_ago=7)
    Notice.objects.all().delete()
    assert services.remind(fx.city(world), today=today) == 2
    assert Notice.objects.filter(code="exchange.event.appraisal_due").count() == 1


def test_demo_builds_an_event_with_attendance_and_a_visit_with_both_appraisals(world):
    from qnwmh.core.demo_context import DemoContext
    from qnwmh.exchange import demo

    cycle = fc.cycle()
    cycle.registration_opens_on -= datetime.timedelta(days=60)  # the exhibition was 20 days ago
    cycle.save()
    f.title(world.other_collective)
    third = f.collective(world.body, name="石岐街道第三青年集体")
    f.title(third)
    ctx = DemoContext()
    ctx.users = {"city_admin": world.users["city_admin"]}
    ctx.city = world.city
    demo.build(ctx)
    exhibition = ctx.extra["exchange_exhibition"]
    exhibition.refresh_from_db()
    assert exhibition.status == EventStatus.CLOSED
    assert exhibition.registrations.filter(attended=True).count() == 3
    assert exhibition.photos.count() == 2
    visit = ctx.extra["exchange_mutual_visit"]
    visit.refresh_from_db()
    assert visit.status == EventStatus.CLOSED and visit.appraisals.count() == 2
    assert LogEntry.objects.filter(origin=f"exchange.event:{exhibition.code}").count() == 3


def test_opening_a_mutual_visit_tells_the_sides_they_take_part_not_to_register(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fx.mutual_visit(world, status="open")
    manager = world.users["manager"]
    assert not Notice.objects.filter(code="exchange.event.invited").exists()
    notice = Notice.objects.get(recipient=manager, code="exchange.event.visit_opened")
    assert notice.params["host"] == world.collective.name
    assert notice.params["guest"] == world.other_collective.name


def test_inviting_a_body_invites_the_collectives_of_its_sub_bodies(world):
    from qnwmh.orgs.models import Organisation

    sub = f._tree(
        Organisation(
            name="石岐街道某社区团委",
            kind=Organisation.Kind.BODY,
            body_kind=Organisation.BodyKind.INDUSTRY,
            parent=world.body,
            sector=f.sector(),
        )
    )
    c = f.collective(sub, name="社区青年集体")
    manager = f.actor(f.user("submanager", f.Role.COLLECTIVE_MANAGER, collective=c))
    sub_admin = f.actor(f.user("subadmin", f.Role.BODY_ADMIN, organisation=sub))
    e = fx.event(world, status="open")
    assert sel.is_invited(e, c)
    assert c in sel.unregistered_invitees(e)
    assert world.other_collective not in sel.unregistered_invitees(e)
    assert e in sel.events_visible_to(manager) and e in sel.events_visible_to(sub_admin)
    assert e not in sel.events_visible_to(world.actor("outsider"))
    assert list(sel.registrable_collectives(sub_admin, e)) == [c]
    services.register(manager, e, collective=c)
    assert c not in sel.unregistered_invitees(e)


def test_a_registration_cannot_be_withdrawn_after_the_event_day(world):
    e = fx.event(world, status="open")
    r = services.register(world.actor("manager"), e, collective=world.collective)
    Event.objects.filter(pk=e.pk).update(held_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="报名已关闭"):
        services.withdraw(world.actor("manager"), r)
    r.refresh_from_db()
    assert r.status == RegistrationStatus.REGISTERED


def test_a_body_hosts_a_mutual_visit_only_with_its_own_collective(world):
    admin = world.actor("body_admin")
    values = {
        "kind": EventKind.MUTUAL_VISIT,
        "title": "互访",
        "organiser": world.body,
        "held_on": timezone.localdate(),
        "place": "窗口",
    }
    with pytest.raises(PermissionDenied):
        services.event_create(admin, **values, host=world.other_collective, guest=world.collective)
    assert not Event.objects.exists()
    e = services.event_create(admin, **values, host=world.collective, guest=world.other_collective)
    assert e.host == world.collective


def test_who_is_told_costs_the_same_queries_however_many_are_invited(world, monkeypatch):
    from qnwmh.exchange import notices
    from qnwmh.exchange.models import Invitation
    from tests.querycount import assert_constant_queries

    today = timezone.localdate()
    e = fx.event(world, status="open", closes=today + datetime.timedelta(days=2), days_ago=-5)
    n = iter(range(100))

    def more():
        for _ in range(2):
            c = f.collective(world.other_body, name=f"受邀集体{next(n)}")
            f.user(f"m{c.pk}", f.Role.COLLECTIVE_MANAGER, collective=c)
            Invitation.objects.create(event=e, collective=c)
            Registration.objects.create(event=e, collective=c)
            late = f.collective(world.other_body, name=f"未报名集体{next(n)}")
            f.user(f"m{late.pk}", f.Role.COLLECTIVE_MANAGER, collective=late)
            Invitation.objects.create(event=e, collective=late)

    told: list[int] = []
    monkeypatch.setattr(notices, "registration_closes", lambda event, people: told.append(1))
    assert_constant_queries(lambda: (notices.invited_people(e), notices.registered_people(e)), more)
    assert_constant_queries(lambda: services.remind(fx.city(world), today=today), more)
    # Six batches of two registered and two not: every manager found, once.
    assert len(notices.registered_people(e)) == 12
    invited = {u.username for u in notices.invited_people(e)}
    assert len(invited) == 24 + 1 and world.users["body_admin"].username in invited
