"""Supervision services: every transition, each guard, each permission refusal, one audit
entry per change, and the filer's identity never in the audit log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.core.actor import ANONYMOUS, Actor, system_actor
from qnwmh.core.errors import DomainError
from qnwmh.supervision import services as s
from qnwmh.supervision.models import Complaint, Holiday, Rating, Status
from qnwmh.supervision.selectors import public_appraisal
from qnwmh.supervision.workdays import current_calendar
from tests import supervision_builders as sb

PUBLIC = Actor(user=None, ip="203.0.113.5")


def audit_count(c: Complaint) -> int:
    return AuditEntry.objects.filter(
        object_type="supervision.complaint", object_id=str(c.pk)
    ).count()


def file(world: Any, **kw: Any) -> Complaint:
    args = {
        "collective": world.collective,
        "kind": "complaint",
        "category": "attitude",
        "text": "窗口人员态度生硬。",
        "filer_name": sb.PLANTED_NAME,
        "filer_phone": sb.PLANTED_PHONE,
    }
    args.update(kw)
    return s.complaint_file(PUBLIC, **args)


def test_public_filing_routes_to_body_with_working_day_deadlines(world, rules):
    rules.complaint_ack_days, rules.complaint_finish_days = 2, 10
    rules.save()
    c = file(world)
    cal = current_calendar()
    day = timezone.localdate(c.received_at)
    assert c.body_id == world.body.pk and c.status == Status.RECEIVED and c.channel == "web"
    assert c.ack_due == cal.add_working_days(day, 2)
    assert c.finish_due == cal.add_working_days(day, 10)
    assert len(c.code) == 16
    entry = AuditEntry.objects.get(object_id=str(c.pk), code="supervision.complaint.filed")
    assert entry.actor is None and entry.ip == "203.0.113.5"
    dumped = str(entry.before) + str(entry.after) + str(entry.data)
    assert sb.PLANTED_NAME not in dumped and sb.PLANTED_PHONE not in dumped


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("text", "   ", "请填写内容"),
        ("category", "nope", "类别"),
        ("kind", "x", "类型"),
        ("filer_phone", "abc123", "电话"),
        ("text", "字" * 2001, "不能超过"),
    ],
)
def test_filing_guards(world, field, value, message):
    with pytest.raises(DomainError, match=message):
        file(world, **{field: value})
    assert Complaint.objects.count() == 0


def test_archived_collective_refuses(world):
    world.collective.status = "archived"
    world.collective.save()
    with pytest.raises(DomainError, match="归档"):
        file(world)


def test_photos_go_through_the_evidence_checks(world):
    c = file(world, photos=[sb.upload(), sb.upload("a.jpg", sb.jpeg_bytes(), "image/jpeg")])
    kept = [p.evidence for p in c.photos.select_related("evidence")]
    assert len(kept) == 2 and all(e.kind == "image" for e in kept)
    assert {e.purpose for e in kept} == {"supervision.complaint"}
    with pytest.raises(DomainError) as refused:
        file(world, photos=[sb.upload("evil.png", b"<script>alert(1)</script>")])
    assert refused.value.field == "photos"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\nstartxref\n0\n%%EOF\n"
    with pytest.raises(DomainError):
        file(world, photos=[sb.upload("a.pdf", pdf, "application/pdf")])
    with pytest.raises(DomainError, match="最多"):
        file(world, photos=[sb.upload() for _ in range(s.LIMITS["max_photos"] + 1)])
    assert Complaint.objects.count() == 1


def test_collective_manager_cannot_see_complaint_photos(world):
    from qnwmh.evidence.selectors import evidence_visible_to

    c = file(world, photos=[sb.upload()])
    evidence = c.photos.get().evidence
    assert not evidence_visible_to(world.actor("manager")).filter(pk=evidence.pk).exists()
    assert evidence_visible_to(world.actor("body_admin")).filter(pk=evidence.pk).exists()


def test_staff_entry_needs_scope_and_a_staff_channel(world):
    c = s.complaint_enter(
        world.actor("body_admin"),
        collective=world.collective,
        kind="suggestion",
        category="other",
        text="建议延长服务时间。",
        channel="phone",
    )
    assert c.channel == "phone"
    with pytest.raises(PermissionDenied):
        s.complaint_enter(
            world.actor("outsider"),
            collective=world.collective,
            kind="complaint",
            category="other",
            text="x",
            channel="phone",
        )
    with pytest.raises(DomainError, match="渠道"):
        s.complaint_enter(
            world.actor("body_admin"),
            collective=world.collective,
            kind="complaint",
            category="other",
            text="x",
            channel="web",
        )


def test_full_happy_path_each_step_audited(world):
    body = world.actor("body_admin")
    c = file(world)
    c = s.complaint_acknowledge(body, complaint=c)
    assert c.status == Status.ACKNOWLEDGED and c.handler == world.users["body_admin"]
    c = s.complaint_investigate(body, complaint=c)
    c = s.complaint_order_rectification(
        body, complaint=c, findings="属实", rectification="一个月内整改"
    )
    assert c.status == Status.RECTIFICATION and c.upheld
    c = s.complaint_reply(body, complaint=c, reply="已责令整改，感谢监督。")
    assert c.status == Status.REPLIED and c.replied_at
    c = s.complaint_close(body, complaint=c)
    assert c.status == Status.CLOSED and c.closed_at
    assert audit_count(c) == 6
    codes = list(
        AuditEntry.objects.filter(object_id=str(c.pk)).order_by("id").values_list("code", flat=True)
    )
    assert codes[-1] == "supervision.complaint.closed"


@pytest.mark.parametrize("step", ["investigate", "close", "reply"])
def test_transitions_refused_from_wrong_status(world, step):
    c = file(world)
    body = world.actor("body_admin")
    with pytest.raises(DomainError, match="当前状态"):
        if step == "reply":
            s.complaint_reply(body, complaint=c, reply="x")
        else:
            getattr(s, f"complaint_{step}")(body, complaint=c)
    assert audit_count(c) == 1


def test_reply_needs_findings_and_text(world):
    body = world.actor("body_admin")
    c = s.complaint_investigate(
        body, complaint=s.complaint_acknowledge(body, complaint=file(world))
    )
    with pytest.raises(DomainError, match="调查结果"):
        s.complaint_reply(body, complaint=c, reply="已处理")
    with pytest.raises(DomainError, match="请填写"):
        s.complaint_reply(body, complaint=c, reply=" ", findings="属实")


@pytest.mark.parametrize("role", ["outsider", "manager", "reviewer", "anonymous"])
def test_only_the_body_and_city_may_handle(world, role):
    c = file(world)
    actor = ANONYMOUS if role == "anonymous" else world.actor(role)
    with pytest.raises(PermissionDenied):
        s.complaint_acknowledge(actor, complaint=c)
    with pytest.raises(PermissionDenied):
        s.complaint_hide_text(actor, complaint=c, reason="辱骂")


def test_city_may_handle_any(world):
    c = s.complaint_acknowledge(world.actor("city_admin"), complaint=file(world))
    assert c.status == Status.ACKNOWLEDGED


def test_not_substantiated_and_duplicate(world):
    body = world.actor("body_admin")
    a = s.complaint_acknowledge(body, complaint=file(world))
    b = file(world)
    with pytest.raises(DomainError, match="原件"):
        s.complaint_mark_duplicate(body, complaint=b, original_code="NOPE")
    other = sb.complaint(world.other_collective)
    with pytest.raises(DomainError, match="原件"):
        s.complaint_mark_duplicate(body, complaint=b, original_code=other.code)
    b = s.complaint_mark_duplicate(body, complaint=b, original_code=a.code.lower())
    assert b.status == Status.DUPLICATE and b.duplicate_of == a and b.closed_at
    a = s.complaint_not_substantiated(body, complaint=a, findings="未发现", reply="经查不属实")
    assert a.status == Status.NOT_SUBSTANTIATED and not a.upheld and a.closed_at


def test_assign_only_eligible_handlers(world):
    c = file(world)
    c = s.complaint_assign(
        world.actor("body_admin"), complaint=c, handler=world.users["city_admin"]
    )
    assert c.handler == world.users["city_admin"]
    with pytest.raises(DomainError, match="只能指派"):
        s.complaint_assign(world.actor("body_admin"), complaint=c, handler=world.users["outsider"])


def _replied(world: Any) -> Complaint:
    body = world.actor("body_admin")
    filed = file(world)
    _SECRETS[filed.pk] = filed.filer_secret
    c = s.complaint_investigate(body, complaint=s.complaint_acknowledge(body, complaint=filed))
    return s.complaint_reply(body, complaint=c, reply="已处理", findings="属实")


def _feedback(c: Complaint, **kw: Any) -> Complaint:
    return s.complaint_feedback(PUBLIC, complaint=c, secret=_SECRETS[c.pk], **kw)


_SECRETS: dict[int, str] = {}


def test_filer_satisfied_closes(world):
    c = _feedback(_replied(world), satisfied=True)
    assert c.status == Status.CLOSED and c.satisfied is True
    with pytest.raises(DomainError, match="答复后"):
        _feedback(c, satisfied=False)


def test_filer_unsatisfied_reopens_for_city_review(world):
    c = _feedback(_replied(world), satisfied=False, comment="没解决")
    assert c.status == Status.INVESTIGATING and c.city_review and c.reopen_count == 1
    assert c.closed_at is None and c.finish_due >= timezone.localdate()
    # Now only the city reviews it.
    with pytest.raises(PermissionDenied):
        s.complaint_reply(world.actor("body_admin"), complaint=c, reply="再答复")
    c = s.complaint_reply(world.actor("city_admin"), complaint=c, reply="团市委复查答复")
    assert c.status == Status.REPLIED and not c.city_review
    # A fresh answer may be judged again, once.
    c = _feedback(c, satisfied=True)
    assert c.status == Status.CLOSED


def test_feedback_once_per_reply(world):
    c = _replied(world)
    Complaint.objects.filter(pk=c.pk).update(feedback_at=timezone.now())
    c.refresh_from_db()
    with pytest.raises(DomainError, match="已评价"):
        _feedback(c, satisfied=True)


def test_moderation_hides_but_keeps_original(world):
    c = file(world, text="你们都是混蛋")
    c = s.complaint_hide_text(world.actor("body_admin"), complaint=c, reason="辱骂")
    assert c.text_hidden and c.public_text == "" and c.text == "你们都是混蛋"
    with pytest.raises(DomainError, match="已屏蔽"):
        s.complaint_hide_text(world.actor("body_admin"), complaint=c, reason="辱骂")
    c = s.complaint_show_text(world.actor("city_admin"), complaint=c)
    assert not c.text_hidden


def test_escalation_command_marks_overdue_once(world):
    ack_late = sb.complaint(world.collective, days_ago=10)
    ack_late.ack_due = timezone.localdate() - datetime.timedelta(days=1)
    ack_late.finish_due = timezone.localdate() + datetime.timedelta(days=5)
    ack_late.save()
    finish_late = sb.complaint(world.collective, days_ago=30, status=Status.INVESTIGATING)
    finish_late.finish_due = timezone.localdate() - datetime.timedelta(days=1)
    finish_late.save()
    on_time = sb.complaint(world.collective)
    closed_late = sb.complaint(world.collective, days_ago=40, status=Status.CLOSED)
    closed_late.finish_due = timezone.localdate() - datetime.timedelta(days=3)
    closed_late.save()
    call_command("escalate_complaints")
    levels = dict(Complaint.objects.values_list("pk", "escalation_level"))
    assert levels[ack_late.pk] == 1 and levels[finish_late.pk] == 2
    assert levels[on_time.pk] == 0 and levels[closed_late.pk] == 0
    before = AuditEntry.objects.filter(code="supervision.complaint.escalated").count()
    assert before == 2
    call_command("escalate_complaints")
    assert AuditEntry.objects.filter(code="supervision.complaint.escalated").count() == 2
    # Later the same complaint misses the finishing deadline too: one more step.
    call_command(
        "escalate_complaints", today=(ack_late.finish_due + datetime.timedelta(days=1)).isoformat()
    )
    assert Complaint.objects.get(pk=ack_late.pk).escalation_level == 2


def test_escalation_refused_to_body_admin(world):
    with pytest.raises(PermissionDenied):
        s.escalate_overdue(world.actor("body_admin"))


def test_anonymise_after_retention(world, rules):
    rules.complaint_retention_days = 30
    rules.save()
    old = sb.complaint(
        world.collective,
        status=Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=31),
    )
    recent = sb.complaint(
        world.collective,
        status=Status.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=29),
    )
    still_open = sb.complaint(world.collective, days_ago=400)
    call_command("anonymise_complaints")
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert old.filer_name == "" and old.filer_phone == "" and old.anonymised_at
    assert recent.filer_name == sb.PLANTED_NAME and still_open.filer_phone == sb.PLANTED_PHONE
    assert AuditEntry.objects.filter(code="supervision.complaint.anonymised").count() == 1
    with pytest.raises(PermissionDenied):
        s.anonymise_expired(world.actor("city_admin"))
    assert s.anonymise_expired(system_actor()) == 0


def test_rating_once_per_device_per_day(world):
    r = s.rating_add(PUBLIC, collective=world.collective, stars=4, comment="好", device="d1")
    assert r.day == timezone.localdate()
    with pytest.raises(DomainError, match="今天已经评价"):
        s.rating_add(PUBLIC, collective=world.collective, stars=5, comment="", device="d1")
    s.rating_add(PUBLIC, collective=world.other_collective, stars=5, comment="", device="d1")
    other_address = Actor(user=None, ip="198.51.100.2")  # one rating per address, too
    s.rating_add(other_address, collective=world.collective, stars=2, comment="", device="d2")
    Rating.objects.filter(device="d1").update(day=timezone.localdate() - datetime.timedelta(days=1))
    s.rating_add(PUBLIC, collective=world.collective, stars=3, comment="", device="d1")
    for bad in (0, 6):
        with pytest.raises(DomainError, match="1 到 5"):
            s.rating_add(PUBLIC, collective=world.collective, stars=bad, comment="", device="d9")
    assert Rating.objects.count() == 4


def test_public_appraisal_summary(world):
    s.rating_add(PUBLIC, collective=world.collective, stars=4, comment="", device="a")
    other_address = Actor(user=None, ip="198.51.100.2")
    s.rating_add(other_address, collective=world.collective, stars=2, comment="", device="b")
    sb.complaint(world.collective, upheld=True)
    sb.complaint(world.collective)
    sb.complaint(world.collective, kind="praise")
    today = timezone.localdate()
    out = public_appraisal([world.collective.pk, world.other_collective.pk], today, today)
    assert out[world.collective.pk] == {
        "ratings": 2,
        "rating_avg": 3.0,
        "complaints": 2,
        "upheld": 1,
        "praise": 1,
    }
    assert out[world.other_collective.pk]["ratings"] == 0


def test_holidays(world):
    city = world.actor("city_admin")
    h = s.holiday_add(city, date=datetime.date(2030, 10, 1), name="国庆节")
    with pytest.raises(DomainError, match="已登记"):
        s.holiday_add(city, date=datetime.date(2030, 10, 1), name="国庆节")
    with pytest.raises(PermissionDenied):
        s.holiday_add(world.actor("body_admin"), date=datetime.date(2030, 10, 2), name="国庆节")
    s.holiday_deactivate(city, holiday=h)
    assert not Holiday.objects.get(pk=h.pk).active
    assert s.holiday_add(city, date=datetime.date(2030, 10, 1), name="国庆节").pk == h.pk
    # 2030-09-30 is a Monday; with 10-01 a holiday the next working day is 10-02.
    assert current_calendar().add_working_days(datetime.date(2030, 9, 30), 1) == datetime.date(
        2030, 10, 2
    )
