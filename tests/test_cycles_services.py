"""Cycles: every transition and guard of the services, with permission refusals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Ownership, TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.cycles import services
from qnwmh.cycles.models import (
    BodySubmission,
    Cycle,
    NonPublicWarning,
    Phase,
    Quota,
    Registration,
    RegistrationStatus,
    SubmissionStatus,
)
from qnwmh.cycles.selectors import cap_figures, quota_table, town_view
from qnwmh.notices.models import Notice
from qnwmh.programme.models import ProgrammeRules
from tests import factories as f
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def _values(**over: Any) -> dict[str, Any]:
    d = datetime.date
    v = {
        "session_no": 23,
        "registration_year": 2027,
        "registration_opens_on": d(2027, 3, 1),
        "registration_closes_on": d(2027, 4, 30),
        "creation_ends_on": d(2028, 4, 30),
        "certification_starts_on": d(2028, 5, 1),
        "certification_ends_on": d(2028, 6, 30),
    }
    v.update(over)
    return v


def test_city_creates_cycle_and_years_follow(world: Any) -> None:
    cycle = services.cycle_create(world.actor("city_admin"), values=_values())
    assert (cycle.registration_year, cycle.certification_year, cycle.phase) == (
        2027,
        2028,
        Phase.DRAFT,
    )
    assert AuditEntry.objects.filter(code="cycles.cycle.created").count() == 1


@pytest.mark.parametrize(
    "over,message",
    [
        ({"registration_year": 2028}, "奇数年"),
        ({"creation_ends_on": datetime.date(2027, 1, 1)}, "依次"),
        (
            {
                "certification_starts_on": datetime.date(2028, 4, 30),
                "creation_ends_on": datetime.date(2027, 12, 1),
            },
            None,
        ),
    ],
)
def test_cycle_create_guards(world: Any, over: dict[str, Any], message: str | None) -> None:
    if message is None:
        services.cycle_create(world.actor("city_admin"), values=_values(**over))
        return
    with pytest.raises(DomainError, match=message):
        services.cycle_create(world.actor("city_admin"), values=_values(**over))


def test_only_city_creates_cycles(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.cycle_create(world.actor("body_admin"), values=_values())


def test_opening_freezes_rules_and_computes_quotas(world: Any) -> None:
    city = world.actor("city_admin")
    cycle = services.cycle_create(city, values=_values())
    services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_OPEN)
    cycle.refresh_from_db()
    assert cycle.rules_snapshot["registration_ratio"] == 2
    rules = ProgrammeRules.current()
    rules.registration_ratio = 3
    rules.save()
    cycle.refresh_from_db()
    assert cycle.rule("registration_ratio") == 2  # later edits do not rewrite the cycle
    quotas = {q.body_id: q for q in Quota.objects.filter(cycle=cycle)}
    # world.body holds one city title → base 1 → quota max(1, round(1 × 1)) = 1
    assert quotas[world.body.pk].base_value == 1 and quotas[world.body.pk].computed == 1
    assert quotas[world.other_body.pk].base_value == 0 and quotas[world.other_body.pk].computed == 1


def test_phase_move_refuses_skips_and_backward_without_reason(world: Any) -> None:
    city = world.actor("city_admin")
    cycle = fc.cycle()
    with pytest.raises(DomainError):
        services.cycle_move(city, cycle=cycle, to=Phase.CREATION)
    services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_CLOSED)
    with pytest.raises(DomainError, match="原因"):
        services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_OPEN)
    services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_OPEN, reason="延长报备")
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.REGISTRATION_OPEN


def test_closing_with_unreviewed_requests_needs_force(world: Any) -> None:
    city = world.actor("city_admin")
    cycle = fc.cycle()
    fc.registration(cycle, world.collective)
    with pytest.raises(DomainError, match=world.body.name):
        services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_CLOSED)
    with pytest.raises(DomainError, match="原因"):
        services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_CLOSED, force=True)
    change = services.cycle_move(
        city, cycle=cycle, to=Phase.REGISTRATION_CLOSED, force=True, reason="截止"
    )
    assert change.cycle.phase == Phase.REGISTRATION_CLOSED
    entry = AuditEntry.objects.get(code="cycles.cycle.phase_changed")
    assert entry.data["force"] is True and entry.data["reason"] == "截止"


def test_closing_warns_of_towns_without_non_public(world: Any) -> None:
    city = world.actor("city_admin")
    cycle = fc.cycle()
    firm = f.collective(world.body, ownership=Ownership.NON_PUBLIC, name="某科技公司青年突击队")
    fc.registration(cycle, firm, status=RegistrationStatus.ACCEPTED)
    change = services.cycle_move(city, cycle=cycle, to=Phase.REGISTRATION_CLOSED)
    warned = set(NonPublicWarning.objects.filter(cycle=cycle).values_list("town__name", flat=True))
    assert warned == {world.other_town.name}
    assert world.other_town.name in change.warnings[0]
    assert Notice.objects.filter(
        recipient=world.users["city_admin"], code="cycles.cycle.nonpublic_warning"
    ).exists()


def test_quota_override_is_audited_and_cannot_go_below_used(world: Any) -> None:
    cycle = fc.cycle()
    quota = fc.quota(cycle, world.body, 3)
    fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED)
    with pytest.raises(DomainError, match="原因"):
        services.quota_override(world.actor("city_admin"), quota=quota, value=5, reason=" ")
    with pytest.raises(DomainError, match="不能少于"):
        services.quota_override(world.actor("city_admin"), quota=quota, value=0, reason="压减")
    with pytest.raises(PermissionDenied):
        services.quota_override(world.actor("body_admin"), quota=quota, value=5, reason="x")
    q = services.quota_override(
        world.actor("city_admin"), quota=quota, value=5, reason="新增两新组织"
    )
    assert q.final == 5
    entry = AuditEntry.objects.get(code="cycles.quota.overridden")
    assert entry.after == {"override": 5, "override_reason": "新增两新组织"}


def test_headcount_entry_by_own_body_before_publication(world: Any) -> None:
    cycle = fc.cycle(published=False)
    quota = fc.quota(cycle, world.body)
    quota.base_kind = "youth_headcount"
    quota.save()
    with pytest.raises(PermissionDenied):
        services.quota_set_headcount(world.actor("outsider"), quota=quota, headcount=40)
    q = services.quota_set_headcount(world.actor("body_admin"), quota=quota, headcount=7)
    assert (q.base_value, q.computed) == (7, 7)
    services.quotas_publish(world.actor("city_admin"), cycle=cycle)
    with pytest.raises(DomainError, match="已公布"):
        services.quota_set_headcount(world.actor("body_admin"), quota=quota, headcount=9)
    with pytest.raises(DomainError, match="已公布"):
        services.quotas_compute(world.actor("city_admin"), cycle=cycle)


def test_manager_files_and_body_admins_are_notified(world: Any) -> None:
    world.users["body_admin"].email = "body@example.cn"
    world.users["body_admin"].save()
    cycle = fc.cycle()
    fc.quota(cycle, world.body)
    filed = services.registration_file(
        world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
    )
    reg = filed.registration
    assert reg.status == RegistrationStatus.SUBMITTED and reg.number == f"{cycle.session_no}-0001"
    assert reg.body_id == world.body.pk and reg.town_id == world.town.pk
    assert (
        Notice.objects.filter(
            recipient=world.users["body_admin"], code="cycles.registration.filed"
        ).count()
        == 1
    )
    assert not Notice.objects.filter(recipient=world.users["outsider"]).exists()
    assert AuditEntry.objects.filter(code="cycles.registration.filed").count() == 1


def test_mail_is_sent_only_after_commit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.users["body_admin"].email = "body@example.cn"
    world.users["body_admin"].save()
    cycle = fc.cycle()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.registration_file(
            world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
        )
    assert len(mail.outbox) == 0 and callbacks
    for cb in callbacks:
        cb()
    assert [m.to for m in mail.outbox] == [["body@example.cn"]]


def test_filing_guards(world: Any) -> None:
    cycle = fc.cycle()
    manager = world.actor("manager")
    with pytest.raises(PermissionDenied):
        services.registration_file(
            world.actor("outsider"), cycle=cycle, collective=world.collective, values=fc.values()
        )
    with pytest.raises(DomainError, match="号长"):
        services.registration_file(
            manager, cycle=cycle, collective=world.collective, values=fc.values(leader_name="")
        )
    services.registration_file(
        manager, cycle=cycle, collective=world.collective, values=fc.values()
    )
    with pytest.raises(DomainError, match="已有报备"):
        services.registration_file(
            manager, cycle=cycle, collective=world.collective, values=fc.values()
        )
    closed = fc.cycle(phase=Phase.REGISTRATION_CLOSED)
    with pytest.raises(DomainError, match="报备阶段"):
        services.registration_file(
            manager, cycle=closed, collective=world.collective, values=fc.values()
        )


def test_ineligible_collective_is_blocked_rule_by_rule(world: Any) -> None:
    cycle = fc.cycle()
    small = f.collective(world.body, members=3)
    with pytest.raises(DomainError) as exc:
        services.registration_file(
            world.actor("body_admin"), cycle=cycle, collective=small, values=fc.values()
        )
    assert "成员人数：实际 3" in str(exc.value) and "6–200" in str(exc.value)
    assert not Registration.objects.filter(collective=small).exists()


def test_near_limit_warns_but_files(world: Any) -> None:
    cycle = fc.cycle()
    edge = f.collective(world.body, members=6)  # exactly the minimum: near
    filed = services.registration_file(
        world.actor("body_admin"), cycle=cycle, collective=edge, values=fc.values()
    )
    assert filed.registration.eligibility == "near"
    assert filed.warnings and "成员人数" in filed.warnings[0]


def test_revoked_collective_is_barred(world: Any) -> None:
    cycle = fc.cycle(year=2027)
    world.title.status = TitleStatus.REVOKED
    world.title.ended_on = datetime.date(2026, 3, 1)
    world.title.save()
    with pytest.raises(DomainError, match="撤销"):
        services.registration_file(
            world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
        )
    world.title.ended_on = datetime.date(2024, 3, 1)  # before the previous cycle: bar served
    world.title.save()
    services.registration_file(
        world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
    )


def test_review_accept_within_quota_then_refused(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 2)
    regs = [fc.registration(cycle, f.collective(world.body)) for _ in range(3)]
    admin = world.actor("body_admin")
    services.registration_accept(admin, registration=regs[0])
    services.registration_accept(admin, registration=regs[1])
    with pytest.raises(DomainError, match="名额上限（2 个）"):
        services.registration_accept(admin, registration=regs[2])
    assert Registration.objects.filter(cycle=cycle, status=RegistrationStatus.ACCEPTED).count() == 2
    assert [r.rank for r in Registration.objects.filter(status="accepted").order_by("rank")] == [
        1,
        2,
    ]
    with pytest.raises(PermissionDenied):
        services.registration_accept(world.actor("outsider"), registration=regs[2])
    with pytest.raises(PermissionDenied):
        services.registration_accept(world.actor("manager"), registration=regs[2])


def test_accept_needs_published_quotas(world: Any) -> None:
    cycle = fc.cycle(published=False)
    fc.quota(cycle, world.body)
    reg = fc.registration(cycle, world.collective)
    with pytest.raises(DomainError, match="尚未公布"):
        services.registration_accept(world.actor("body_admin"), registration=reg)


def test_return_resubmit_reject_withdraw(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body)
    reg = fc.registration(cycle, world.collective)
    admin = world.actor("body_admin")
    with pytest.raises(DomainError, match="原因"):
        services.registration_return(admin, registration=reg, reason="")
    services.registration_return(admin, registration=reg, reason="计划过于笼统")
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="cycles.registration.returned"
    ).exists()
    with pytest.raises(DomainError, match="不能执行"):
        services.registration_accept(admin, registration=reg)
    filed = services.registration_resubmit(
        world.actor("manager"), registration=reg, values={"plan_summary": "细化后的计划"}
    )
    assert filed.registration.status == RegistrationStatus.SUBMITTED
    services.registration_reject(admin, registration=reg, reason="不符合创建方向")
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REJECTED
    with pytest.raises(DomainError):
        services.registration_withdraw(world.actor("manager"), registration=reg, reason="x")
    # a rejected registration is not live: the collective may file again
    again = services.registration_file(
        world.actor("manager"), cycle=cycle, collective=world.collective, values=fc.values()
    )
    services.registration_withdraw(
        world.actor("manager"), registration=again.registration, reason="单位调整"
    )
    assert Registration.objects.filter(collective=world.collective).count() == 2  # nothing deleted


def test_body_submits_city_accepts_and_registrations_are_filed(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    reg = fc.registration(cycle, world.collective)
    pending = fc.registration(cycle, f.collective(world.body))
    admin = world.actor("body_admin")
    services.registration_accept(admin, registration=reg)
    with pytest.raises(DomainError, match="待初评"):
        services.submission_submit(admin, cycle=cycle, body=world.body)
    services.registration_reject(admin, registration=pending, reason="材料不全")
    with pytest.raises(PermissionDenied):
        services.submission_submit(world.actor("outsider"), cycle=cycle, body=world.body)
    sub = services.submission_submit(admin, cycle=cycle, body=world.body)
    assert sub.status == SubmissionStatus.SUBMITTED
    assert Notice.objects.filter(
        recipient=world.users["city_admin"], code="cycles.submission.submitted"
    ).exists()
    with pytest.raises(DomainError, match="已报送"):
        services.registration_return(admin, registration=reg, reason="再看看")
    with pytest.raises(PermissionDenied):
        services.submission_accept(admin, submission=sub)
    services.submission_return(world.actor("city_admin"), submission=sub, reason="请补充排序说明")
    services.submission_submit(admin, cycle=cycle, body=world.body)
    services.submission_accept(
        world.actor("city_admin"), submission=BodySubmission.objects.get(pk=sub.pk)
    )
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.FILED
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="cycles.registration.filed_by_city"
    ).exists()


def test_rank_reorders_accepted(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    a, b = (fc.registration(cycle, f.collective(world.body)) for _ in range(2))
    admin = world.actor("body_admin")
    services.registration_accept(admin, registration=a)
    services.registration_accept(admin, registration=b)
    with pytest.raises(DomainError):
        services.registrations_rank(admin, cycle=cycle, body=world.body, order=[a.code])
    services.registrations_rank(admin, cycle=cycle, body=world.body, order=[b.code, a.code])
    assert (
        Registration.objects.get(pk=b.pk).rank == 1 and Registration.objects.get(pk=a.pk).rank == 2
    )


def test_cap_figures_per_body_and_citywide(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 5)
    fc.quota(cycle, world.other_body, 5)
    for _ in range(3):
        fc.registration(cycle, f.collective(world.body), status=RegistrationStatus.ACCEPTED)
    fc.registration(
        cycle,
        f.collective(world.other_body),
        status=RegistrationStatus.FILED,
        special_recommendation=True,
    )
    fc.registration(cycle, f.collective(world.other_body), status=RegistrationStatus.SUBMITTED)
    caps = cap_figures(world.actor("city_admin"), cycle)
    by_body = {row["body"].pk: row for row in caps.bodies}
    assert (by_body[world.body.pk]["accepted"], by_body[world.body.pk]["cap"]) == (3, 1)
    assert (by_body[world.other_body.pk]["accepted"], by_body[world.other_body.pk]["cap"]) == (1, 0)
    assert (caps.accepted, caps.cap, caps.special, caps.sum_of_body_caps) == (4, 2, 1, 1)
    own = cap_figures(world.actor("body_admin"), cycle)
    assert [r["body"].pk for r in own.bodies] == [world.body.pk] and own.accepted == 3


def test_town_view_counts_and_year_on_year(world: Any) -> None:
    prev = fc.cycle(session_no=22, year=2025, phase=Phase.CLOSED)
    cycle = fc.cycle(session_no=23)
    firm = f.collective(world.body, ownership=Ownership.NON_PUBLIC)
    firm2 = f.collective(world.body, ownership=Ownership.NON_PUBLIC)
    fc.registration(prev, firm, status=RegistrationStatus.FILED)
    fc.registration(cycle, firm, status=RegistrationStatus.ACCEPTED)
    fc.registration(cycle, firm2, status=RegistrationStatus.SUBMITTED)
    fc.registration(cycle, world.other_collective, status=RegistrationStatus.ACCEPTED)
    rows = {r.town.pk: r for r in town_view(cycle)}
    assert rows[world.town.pk].non_public == 2 and rows[world.town.pk].meets
    assert rows[world.town.pk].change == 1
    assert rows[world.other_town.pk].non_public == 0 and not rows[world.other_town.pk].meets
    assert rows[world.other_town.pk].total == 1


def test_reminders_reach_bodies_with_pending_requests(world: Any) -> None:
    cycle = fc.cycle()
    fc.registration(cycle, world.collective)
    today = timezone.localdate()
    from qnwmh.core.actor import system_actor

    assert services.send_review_reminders(system_actor(), days=3, today=today) == 0  # 20 days away
    assert services.send_review_reminders(system_actor(), days=25, today=today) == 1
    assert (
        Notice.objects.filter(
            recipient=world.users["body_admin"], code="cycles.registration.reminder"
        ).count()
        == 1
    )
    assert not Notice.objects.filter(recipient=world.users["outsider"]).exists()


def test_quota_table_shows_used_and_pending(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 4)
    fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED)
    fc.registration(cycle, f.collective(world.body))
    (row,) = quota_table(world.actor("body_admin"), cycle)
    assert (row.final, row.used, row.pending, row.cap) == (4, 1, 1, 0)  # type: ignore[attr-defined]
