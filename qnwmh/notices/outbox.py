"""Outgoing e-mail as an outbox: a row per message, written in the caller's transaction and
sent by the background worker (``notices.tasks.deliver_mail``).

A failed try is retried after MAIL_RETRY_SECONDS × 4^(tries−1); after MAIL_MAX_ATTEMPTS tries
the row is FAILED, logged as an error and listed for city admins, who may send it again. A
message is sent at least once: the row is marked sent right after the mail server accepts it,
so only a worker killed between those two steps sends it twice.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qnwmh.notices.models import MailStatus, OutboundMail

logger = logging.getLogger(__name__)

# How long a run of the delivery task holds a message; another run of the same message waits
# this long before taking it over (only a worker dying mid-send leaves a claim to expire).
CLAIM_SECONDS = 600
# The worker's sweep re-queues a due message only once it is this late: a task for it that is
# merely waiting in the queue has had time to run.
SWEEP_GRACE_SECONDS = 300


def queue_mail(*, to: str, subject: Any, body: Any, recipient: Any = None) -> OutboundMail:
    """One message to one address, handed to the worker once the caller's transaction commits."""
    (mail,) = queue([new_mail(to=to, subject=subject, body=body, recipient=recipient)])
    return mail


def new_mail(*, to: str, subject: Any, body: Any, recipient: Any = None) -> OutboundMail:
    return OutboundMail(recipient=recipient, to=to, subject=str(subject)[:300], body=str(body))


def queue(mails: list[OutboundMail]) -> list[OutboundMail]:
    """Store unsaved messages in one query; each is enqueued once the transaction commits."""
    if not mails:
        return []
    stored = OutboundMail.objects.bulk_create(mails)
    ids = [m.pk for m in stored]
    transaction.on_commit(lambda: _enqueue_all(ids))
    return stored


def _enqueue_all(ids: list[int]) -> None:
    for mail_id in ids:
        enqueue(mail_id)


def enqueue(mail_id: int, *, run_after: datetime.datetime | None = None) -> None:
    from qnwmh.notices.tasks import deliver_mail

    task = deliver_mail
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # run-on-enqueue backends (tests): the retry waits for a sweep or an admin
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.MAIL_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def deliver(mail_id: int, *, run_id: str) -> str:
    """Send one message if it is still due; what happened, for the task's result."""
    now = timezone.now()
    with transaction.atomic():
        mail = OutboundMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != MailStatus.PENDING:
            return "done"
        resuming = mail.claimed_by == run_id
        if not resuming:
            if mail.claimed_until is not None and mail.claimed_until > now:
                return "claimed"
            if mail.next_attempt_at > now:
                return "not due"
        mail.attempts += 1
        mail.claimed_by = run_id
        mail.claimed_until = now + datetime.timedelta(seconds=CLAIM_SECONDS)
        mail.save(update_fields=["attempts", "claimed_by", "claimed_until"])
    try:
        EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]).send()
    except Exception as exc:
        return _failed(mail, exc)
    OutboundMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT, sent_at=timezone.now(), claimed_by="", claimed_until=None
    )
    return "sent"


def _failed(mail: OutboundMail, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    fields: dict[str, Any] = {"last_error": error, "claimed_by": "", "claimed_until": None}
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        fields["status"] = MailStatus.FAILED
        logger.error("e-mail %s to %s failed for good: %s", mail.pk, mail.to, error)
    else:
        fields["next_attempt_at"] = timezone.now() + backoff(mail.attempts)
        logger.warning(
            "e-mail %s to %s failed (try %d): %s", mail.pk, mail.to, mail.attempts, error
        )
    OutboundMail.objects.filter(pk=mail.pk).update(**fields)
    if "next_attempt_at" in fields:
        transaction.on_commit(lambda: enqueue(mail.pk, run_after=fields["next_attempt_at"]))
        return "retry"
    return "failed"


def retry(mail: OutboundMail) -> None:
    """Send a failed message again (a city admin's action), with a fresh count of tries."""
    OutboundMail.objects.filter(pk=mail.pk, status=MailStatus.FAILED).update(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by=""
    )
    transaction.on_commit(lambda: enqueue(mail.pk))


def sweep() -> int:
    """Re-queue messages that are due well past their time and held by no live claim: their task
    was lost (a crash between commit and enqueue, a worker gone on another machine)."""
    now = timezone.now()
    late = now - datetime.timedelta(seconds=SWEEP_GRACE_SECONDS)
    ids = list(
        OutboundMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=late)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .values_list("pk", flat=True)[:1000]
    )
    for mail_id in ids:
        enqueue(mail_id)
    return len(ids)
