"""Complaint events reach the people who must act, once each, in the bell and by e-mail:
filed (the handling body's admins), assigned (the assignee), overdue (assignee, body admins,
city admins; once per complaint and overdue level), reopened by an unsatisfied filer (body
admins and city admins)."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from qnwmh.core.actor import Actor, Role
from qnwmh.notices.models import Notice
from qnwmh.supervision import services as s
from qnwmh.supervision.models import Status
from tests import factories as f
from tests import supervision_builders as sb

PUBLIC = Actor(user=None, ip="203.0.113.9")


@pytest.fixture
def oncommit(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _counts(code: str) -> Counter[str]:
    return Counter(Notice.objects.filter(code=code).values_list("recipient__username", flat=True))


def _file(world: Any) -> Any:
    return s.complaint_file(
        PUBLIC,
        collective=world.collective,
        kind="complaint",
        category="attitude",
        text="窗口人员态度生硬。",
    )


def test_filed_complaint_tells_the_handling_body_admins_once(world, oncommit):
    world.users["body_admin"].email = "body@example.cn"
    world.users["body_admin"].save()
    with oncommit():
        c = _file(world)
    assert _counts("supervision.complaint.filed") == {"bodyadmin": 1}
    notice = Notice.objects.get(code="supervision.complaint.filed")
    assert world.collective.name in notice.text and c.code in notice.link
    assert [m.to for m in mail.outbox] == [["body@example.cn"]]


def test_staff_entry_tells_the_other_admins_not_the_clerk(world, oncommit):
    f.user("bodyadmin2", Role.BODY_ADMIN, organisation=world.body)
    with oncommit():
        s.complaint_enter(
            world.actor("body_admin"),
            collective=world.collective,
            kind="complaint",
            category="attitude",
            text="电话反映：窗口排队太久。",
            channel="phone",
        )
    assert _counts("supervision.complaint.filed") == {"bodyadmin2": 1}


def test_a_rolled_back_filing_tells_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _file(world)
    assert not Notice.objects.filter(code="supervision.complaint.filed").exists()


def test_assignment_tells_the_assignee_once(world, oncommit):
    other = f.user("bodyadmin2", Role.BODY_ADMIN, organisation=world.body)
    c = sb.complaint(world.collective)
    with oncommit():
        s.complaint_assign(world.actor("body_admin"), complaint=c, handler=other)
    assert _counts("supervision.complaint.assigned") == {"bodyadmin2": 1}
    # Taking it oneself is no news to oneself.
    with oncommit():
        s.complaint_assign(
            world.actor("city_admin"), complaint=c, handler=world.users["city_admin"]
        )
    assert _counts("supervision.complaint.assigned") == {"bodyadmin2": 1}


def test_overdue_tells_assignee_body_and_city_once_per_level(world, oncommit):
    handler = f.user("bodyadmin2", Role.BODY_ADMIN, organisation=world.body)
    handler.email = "h@example.cn"
    handler.save()
    c = sb.complaint(world.collective, days_ago=10, handler=handler)
    c.ack_due = timezone.localdate() - datetime.timedelta(days=1)
    c.finish_due = timezone.localdate() + datetime.timedelta(days=5)
    c.save()
    with oncommit():
        call_command("escalate_complaints")
    expected = {"bodyadmin": 1, "bodyadmin2": 1, "city": 1}
    assert _counts("supervision.complaint.overdue_ack") == expected
    assert [m.to for m in mail.outbox] == [["h@example.cn"]]
    with oncommit():
        call_command("escalate_complaints")  # run again: nothing new
    assert _counts("supervision.complaint.overdue_ack") == expected
    assert len(mail.outbox) == 1
    later = (c.finish_due + datetime.timedelta(days=1)).isoformat()
    with oncommit():
        call_command("escalate_complaints", today=later)
        call_command("escalate_complaints", today=later)
    assert _counts("supervision.complaint.overdue_finish") == expected
    assert not Notice.objects.filter(recipient=world.users["outsider"]).exists()


def test_unsatisfied_filer_reopening_tells_body_and_city_once(world, oncommit):
    c = sb.complaint(
        world.collective,
        status=Status.REPLIED,
        findings="已核实。",
        reply="已整改。",
        replied_at=timezone.now(),
    )
    secret = sb.with_secret(c)
    with oncommit():
        s.complaint_feedback(
            PUBLIC, complaint=c, secret=secret, satisfied=False, comment="没有解决"
        )
    assert _counts("supervision.complaint.reopened") == {"bodyadmin": 1, "city": 1}


def test_satisfied_filer_tells_nobody(world, oncommit):
    c = sb.complaint(
        world.collective,
        status=Status.REPLIED,
        findings="已核实。",
        reply="已整改。",
        replied_at=timezone.now(),
    )
    secret = sb.with_secret(c)
    with oncommit():
        s.complaint_feedback(PUBLIC, complaint=c, secret=secret, satisfied=True)
    assert not Notice.objects.exists()


def test_complaint_notices_read_in_english(world, oncommit):
    with oncommit():
        _file(world)
    notice = Notice.objects.get(code="supervision.complaint.filed")
    with translation.override("en"):
        assert "投诉" not in notice.message and "受理" not in notice.message


def test_a_duplicates_answer_reads_in_the_readers_language(world):
    """The platform's own answer to a duplicate is rendered from the facts (the original),
    not shown as the Chinese sentence stored when it was marked."""
    original = sb.complaint(world.collective)
    with translation.override("zh-hans"):
        dup = s.complaint_mark_duplicate(
            world.actor("body_admin"), complaint=_file(world), original_code=original.code
        )
    assert "合并处理" in dup.reply
    with translation.override("en"):
        assert "合并处理" not in dup.reply_text and original.code[:6] in dup.reply_text
    with translation.override("zh-hans"):
        assert dup.reply_text == dup.reply
    typed = sb.complaint(world.collective, status=Status.REPLIED, reply="已整改。")
    with translation.override("en"):
        assert typed.reply_text == "已整改。"  # what staff typed stays as typed
