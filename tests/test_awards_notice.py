"""The notice part's services: inspection (a fail removes the entry), the public notice
(only inspected entries, dates from the rules, supplementary after the first), objections
(only in the period and on a listed entry, named contact, tracking code), their handling
(upheld removes the entry) and the daily reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import (
    EntryStatus,
    InspectionOutcome,
    Objection,
    ObjectionOutcome,
    ObjectionStatus,
    RemovalKind,
)
from qnwmh.awards.services import entries
from qnwmh.awards.services import notice as services
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.evidence.selectors import evidence_visible_to
from qnwmh.notices.models import Notice
from tests import evidence_files
from tests import factories as f
from tests import factories_awards as fa

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _public(ip: str = "203.0.113.7") -> Actor:
    return Actor(user=None, ip=ip)


def _setup(per_body: int = 4):
    body = f.body()
    r, _apps = fa.scored_round([body], per_body=per_body)
    s = fa.shortlist(r)
    city = f.actor(s.frozen_by)
    return body, s, city


def _listed(s):
    return list(s.entries.filter(status=EntryStatus.LISTED).order_by("body_position"))


def _inspect(city, entry, outcome=InspectionOutcome.PASSED, reason="", **kw):
    return services.inspection_record(
        city,
        entry=entry,
        visited_on=TODAY,
        inspectors="张三、李四",
        findings="台账齐全，现场服务规范。",
        outcome=outcome,
        reason=reason,
        **kw,
    )


def _publish(city, s, entries_, **kw):
    return services.notice_publish(
        city,
        shortlist=s,
        heading="2026年度青年文明号拟认定名单公示",
        intro="现予公示。",
        contact="0760-88318315",
        summaries={e.pk: f"{e.collective.name}简介" for e in entries_},
        **kw,
    )


def _object(item, **kw):
    values = {
        "contact_name": "王五",
        "contact_phone": "13800138000",
        "text": "该集体服务窗口长期无人值守。",
    }
    values.update(kw)
    return services.objection_file(_public(values.pop("ip", "203.0.113.7")), item=item, **values)


# Inspection ------------------------------------------------------------------------------


def test_a_failed_inspection_removes_the_entry_and_tells_city_staff() -> None:
    _body, s, city = _setup()
    other_city = f.actor(fa.city_user())
    first = _listed(s)[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        inspection = _inspect(city, first, InspectionOutcome.FAILED, reason="台账造假")
    first.refresh_from_db()
    assert inspection.outcome == InspectionOutcome.FAILED
    assert first.status == EntryStatus.REMOVED
    assert first.removal_kind == RemovalKind.INSPECTION
    assert first.removal_reason == "台账造假"
    told = Notice.objects.filter(recipient=other_city.user, code="awards.inspection.failed")
    assert told.count() == 1
    assert AuditEntry.objects.filter(code="awards.inspection.recorded").count() == 1


def test_a_passed_inspection_keeps_the_entry_and_one_per_entry() -> None:
    _body, s, city = _setup()
    first = _listed(s)[0]
    _inspect(city, first)
    first.refresh_from_db()
    assert first.status == EntryStatus.LISTED
    with pytest.raises(DomainError, match="不能重复记录"):
        _inspect(city, first)


def test_a_fail_needs_a_reason_and_only_listed_entries_are_inspected() -> None:
    _body, s, city = _setup()
    with pytest.raises(DomainError, match="请填写"):
        _inspect(city, _listed(s)[0], InspectionOutcome.FAILED)
    reserve = s.entries.filter(status=EntryStatus.RESERVE).first()
    with pytest.raises(DomainError, match="拟认定名单"):
        _inspect(city, reserve)
    assert not s.entries.filter(inspection__isnull=False).exists()


def test_only_city_staff_inspect() -> None:
    body, s, _city = _setup()
    body_admin = f.actor(f.user(None, Role.BODY_ADMIN, organisation=body))
    with pytest.raises(Exception):  # noqa: B017 - the permission layer's own error
        _inspect(body_admin, _listed(s)[0])


def test_inspection_files_are_hidden_from_the_collectives_managers() -> None:
    _body, s, city = _setup()
    entry = _listed(s)[0]
    photo = SimpleUploadedFile("现场.png", evidence_files.png(), content_type="image/png")
    inspection = _inspect(city, entry, files=[photo])
    stored = inspection.evidence.get()
    manager = f.actor(f.user(None, Role.COLLECTIVE_MANAGER, collective=entry.collective))
    assert not evidence_visible_to(manager).filter(pk=stored.pk).exists()
    assert evidence_visible_to(city).filter(pk=stored.pk).exists()


# Notice ----------------------------------------------------------------------------------


def test_publish_takes_inspected_entries_and_dates_from_the_rules() -> None:
    _body, s, city = _setup()
    a, b = _listed(s)
    _inspect(city, a)
    with pytest.raises(DomainError, match="未通过考察"):
        _publish(city, s, [a, b])
    notice = _publish(city, s, [a])
    assert notice.closes_on == notice.opens_on + datetime.timedelta(days=6)  # notice_days 7
    assert notice.state() == "open" and not notice.supplementary
    assert [i.entry_id for i in notice.items.all()] == [a.pk]
    with pytest.raises(DomainError, match="已经公示"):
        _publish(city, s, [a])
    _inspect(city, b)
    later = _publish(city, s, [b], opens_on=TODAY + datetime.timedelta(days=2))
    assert later.supplementary and later.state() == "scheduled"


def test_publish_refuses_a_start_in_the_past_and_an_empty_list() -> None:
    _body, s, city = _setup()
    a = _listed(s)[0]
    _inspect(city, a)
    with pytest.raises(DomainError, match="不能早于今天"):
        _publish(city, s, [a], opens_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="至少选择"):
        _publish(city, s, [])


# Objections ------------------------------------------------------------------------------


def test_an_objection_gets_a_tracking_code_and_a_due_date_and_tells_staff() -> None:
    body, s, _city = _setup()
    n = fa.notice(s)
    item = n.items.first()
    body_admin = f.user(None, Role.BODY_ADMIN, organisation=body)
    with TestCase.captureOnCommitCallbacks(execute=True):
        o = _object(item)
    assert len(o.code) == 16 and o.status == ObjectionStatus.RECEIVED
    assert o.due_on == TODAY + datetime.timedelta(days=5)  # objection_days 5
    assert Notice.objects.filter(recipient=body_admin, code="awards.objection.filed").exists()
    assert Notice.objects.filter(recipient=s.frozen_by, code="awards.objection.filed").exists()
    entry = AuditEntry.objects.get(code="awards.objection.filed")
    assert "13800138000" not in str(entry.data) and "王五" not in str(entry.data)


def test_an_objection_needs_a_name_and_a_phone() -> None:
    _body, s, _city = _setup()
    item = fa.notice(s).items.first()
    with pytest.raises(DomainError) as no_name:
        _object(item, contact_name="  ")
    assert no_name.value.field == "contact_name"
    with pytest.raises(DomainError) as bad_phone:
        _object(item, contact_phone="123")
    assert bad_phone.value.field == "contact_phone"
    with pytest.raises(DomainError) as no_phone:
        _object(item, contact_phone="")
    assert no_phone.value.field == "contact_phone"
    assert not Objection.objects.exists()


def test_no_objection_after_the_period_or_on_a_removed_entry() -> None:
    _body, s, _city = _setup()
    ended = fa.ended_notice(s)
    with pytest.raises(DomainError, match="公示期已于"):
        _object(ended.items.first())
    _body2, s2, city2 = _setup()
    n = fa.notice(s2)
    item = n.items.first()
    with transaction.atomic():
        entries.remove(city2, item.entry, kind=RemovalKind.WITHDRAWN, reason="主动放弃")
    with pytest.raises(DomainError, match="不在拟认定名单"):
        _object(item)
    assert not Objection.objects.exists()


def test_public_objections_are_rate_limited_per_address() -> None:
    _body, s, _city = _setup()
    item = fa.notice(s).items.first()
    for _i in range(services.LIMITS["objections_per_ip"][0]):
        _object(item, ip="198.51.100.9")
    with pytest.raises(DomainError, match="过于频繁"):
        _object(item, ip="198.51.100.9")
    _object(item, ip="198.51.100.10")


# Handling --------------------------------------------------------------------------------


def test_an_upheld_objection_removes_the_entry_with_its_public_reason() -> None:
    _body, s, city = _setup()
    item = fa.notice(s).items.first()
    o = _object(item)
    handler = fa.city_user()
    with TestCase.captureOnCommitCallbacks(execute=True):
        o = services.objection_assign(city, objection=o, handler=handler)
    assert o.status == ObjectionStatus.HANDLING
    assert Notice.objects.filter(recipient=handler, code="awards.objection.assigned").exists()
    o = services.objection_decide(
        city,
        objection=o,
        outcome=ObjectionOutcome.UPHELD,
        findings="核实属实（内部）",
        public_reason="经核查，反映问题属实。",
    )
    item.entry.refresh_from_db()
    assert o.status == ObjectionStatus.DECIDED
    assert item.entry.status == EntryStatus.REMOVED
    assert item.entry.removal_kind == RemovalKind.OBJECTION
    assert item.entry.removal_reason == "经核查，反映问题属实。"
    with pytest.raises(DomainError, match="已办结"):
        services.objection_decide(
            city, objection=o, outcome=ObjectionOutcome.NOT_UPHELD, findings="x", public_reason="y"
        )


def test_a_not_upheld_objection_keeps_the_entry() -> None:
    _body, s, city = _setup()
    item = fa.notice(s).items.first()
    o = services.objection_decide(
        city,
        objection=_object(item),
        outcome=ObjectionOutcome.NOT_UPHELD,
        findings="查无实据",
        public_reason="经核查，反映问题不属实。",
    )
    item.entry.refresh_from_db()
    assert o.outcome == ObjectionOutcome.NOT_UPHELD
    assert item.entry.status == EntryStatus.LISTED


def test_only_city_staff_handle_and_a_handler_is_city_staff() -> None:
    body, s, city = _setup()
    o = _object(fa.notice(s).items.first())
    body_admin = f.user(None, Role.BODY_ADMIN, organisation=body)
    with pytest.raises(DomainError, match="承办人"):
        services.objection_assign(city, objection=o, handler=body_admin)
    with pytest.raises(Exception):  # noqa: B017 - the permission layer's own error
        services.objection_assign(f.actor(body_admin), objection=o, handler=s.frozen_by)


def test_reminders_tell_of_an_ended_notice_and_of_due_objections() -> None:
    _body, s, _city = _setup()
    n = fa.notice(s, opens_on=TODAY - datetime.timedelta(days=7), days=7)
    assert n.closes_on == TODAY - datetime.timedelta(days=1)
    Objection.objects.create(
        item=n.items.first(),
        contact_name="赵六",
        contact_phone="13900139000",
        text="异议",
        due_on=TODAY,
    )
    assert services.remind(today=TODAY) == {"ended": 1, "due": 1}
    assert Notice.objects.filter(recipient=s.frozen_by, code="awards.notice.ended").exists()
    assert Notice.objects.filter(recipient=s.frozen_by, code="awards.objection.due").exists()


def test_the_reminder_command_runs_for_a_given_day() -> None:
    from io import StringIO

    from django.core.management import call_command

    _body, s, _city = _setup()
    fa.notice(s, opens_on=TODAY - datetime.timedelta(days=8), days=7)
    out = StringIO()
    call_command(
        "notice_reminders", "--date", (TODAY - datetime.timedelta(days=1)).isoformat(), stdout=out
    )
    assert out.getvalue().startswith("1 notice(s) ended, 0 objection(s)")


def test_objection_files_pass_the_evidence_checks_and_stay_hidden_from_managers() -> None:
    _body, s, city = _setup()
    item = fa.notice(s).items.first()
    photo = SimpleUploadedFile("现场.png", evidence_files.png(), content_type="image/png")
    o = _object(item, files=[photo])
    stored = o.evidence.get()
    manager = f.actor(f.user(None, Role.COLLECTIVE_MANAGER, collective=item.entry.collective))
    assert not evidence_visible_to(manager).filter(pk=stored.pk).exists()
    assert evidence_visible_to(city).filter(pk=stored.pk).exists()
    fake = SimpleUploadedFile("x.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(DomainError) as refused:
        _object(item, files=[fake], ip="198.51.100.77")
    assert refused.value.field == "files"
    assert Objection.objects.count() == 1


def test_publishing_tells_the_bodies_admins() -> None:
    body, s, city = _setup()
    body_admin = f.user(None, Role.BODY_ADMIN, organisation=body)
    a = _listed(s)[0]
    _inspect(city, a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        notice = _publish(city, s, [a])
    told = Notice.objects.get(recipient=body_admin, code="awards.notice.published")
    assert notice.heading in told.text
