"""Notices' e-mail goes through an outbox the worker drains: rows written in the caller's
transaction, sent on commit, retried with back-off, failures listed for city admins with a
retry — never swallowed. (Tasks run when enqueued in tests; tests/test_worker.py runs the real
worker.)"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.notices import outbox, services
from qnwmh.notices.models import MailStatus, Notice, OutboundMail

REFUSING = "tests.failing_mail.RefusingBackend"


def _notify(world: Any) -> None:
    services.notify([world.users["body_admin"]], "请处理。", link="/office/")


@pytest.fixture
def oncommit(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def addressed(world: Any) -> Any:
    world.users["body_admin"].email = "body@example.cn"
    world.users["body_admin"].save()
    return world


def test_notify_writes_an_outbox_row_sent_after_commit(
    addressed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(addressed)
    row = OutboundMail.objects.get()
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at
    assert [m.to for m in mail.outbox] == [["body@example.cn"]]
    assert "请处理。" in mail.outbox[0].body


def test_a_rolled_back_change_leaves_no_notice_and_no_mail(addressed):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(addressed)
        raise RuntimeError
    assert not Notice.objects.exists() and not OutboundMail.objects.exists()
    assert mail.outbox == []


def test_failures_are_retried_with_back_off_then_shown(addressed, settings, caplog, oncommit):
    settings.EMAIL_BACKEND = REFUSING
    settings.MAIL_MAX_ATTEMPTS = 3
    settings.MAIL_RETRY_SECONDS = 60
    with oncommit():
        row = outbox.queue_mail(to="x@example.cn", subject="主题", body="正文")
    row.refresh_from_db()
    assert row.status == MailStatus.PENDING and row.attempts == 1
    assert "refused" in row.last_error
    wait = row.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(seconds=60)
    assert outbox.deliver(row.pk, run_id="early") == "not due"

    OutboundMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk, run_id="second") == "retry"
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at - timezone.now() > datetime.timedelta(
        seconds=200
    )  # 60 s × 4

    OutboundMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(row.pk, run_id="third") == "failed"
    row.refresh_from_db()
    assert row.status == MailStatus.FAILED and row.attempts == 3
    assert any(r.levelname == "ERROR" and "x@example.cn" in r.getMessage() for r in caplog.records)

    page = addressed.client("city_admin").get(reverse("notices:mail")).content.decode()
    assert "x@example.cn" in page and "refused" in page


def test_city_admin_sends_a_failed_mail_again(addressed, settings, oncommit):
    settings.EMAIL_BACKEND = REFUSING
    settings.MAIL_MAX_ATTEMPTS = 1
    with oncommit():
        row = outbox.queue_mail(to="x@example.cn", subject="主题", body="正文")
    row.refresh_from_db()
    assert row.status == MailStatus.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = addressed.client("city_admin")
    with oncommit():
        response = client.post(reverse("notices:mail_retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and row.attempts == 1
    assert [m.to for m in mail.outbox] == [["x@example.cn"]]
    assert AuditEntry.objects.filter(code="notices.mail.retried").count() == 1
    # Only a failed mail can be sent again; only city admins may.
    client.post(reverse("notices:mail_retry", args=[row.pk]))
    assert len(mail.outbox) == 1
    denied = addressed.client("body_admin").post(reverse("notices:mail_retry", args=[row.pk]))
    assert denied.status_code == 403


def test_a_second_run_waits_for_a_live_claim_and_the_sweep_requeues_lost_mail(addressed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    row = outbox.queue_mail(to="x@example.cn", subject="主题", body="正文")
    OutboundMail.objects.filter(pk=row.pk).update(
        claimed_by="run-a", claimed_until=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert outbox.deliver(row.pk, run_id="run-b") == "claimed"
    assert outbox.deliver(row.pk, run_id="run-a") == "sent"  # the same run, restarted, goes on
    assert len(mail.outbox) == 1

    lost = outbox.queue_mail(to="y@example.cn", subject="主题", body="正文")
    assert outbox.sweep() == 0  # not late yet: its task may still be waiting
    OutboundMail.objects.filter(pk=lost.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert outbox.sweep() == 1


def test_the_failed_mail_list_costs_the_same_queries_however_many_failures(addressed: Any):
    from tests.querycount import assert_constant_queries

    client = addressed.client("city_admin")

    def grow() -> None:
        for i in range(5):
            OutboundMail.objects.create(
                recipient=addressed.users["body_admin"],
                to="body@example.cn",
                subject=f"通知 {i}",
                body="正文",
                status=MailStatus.FAILED,
                attempts=5,
            )

    assert_constant_queries(lambda: client.get(reverse("notices:mail")), grow)
