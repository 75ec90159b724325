"""Tell people what they must act on: an in-app notice each, and an e-mail through the outbox.

Callers are other apps' services, inside their own transaction; the notices and the outbox rows
roll back with the change, and the worker sends the e-mail once the change is committed
(``notices.outbox``: retried, and failures shown to city admins).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qnwmh.access.models import RoleAssignment
from qnwmh.access.selectors import administrators_of
from qnwmh.accounts import kept
from qnwmh.accounts.models import User
from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor, Role
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.notices import messages, outbox
from qnwmh.notices.models import MailStatus, Notice, OutboundMail


def city_admins() -> list[User]:
    return _users(Q(role=Role.CITY_ADMIN))


def body_admins(body_id: int) -> list[User]:
    """Admins of the body itself and of every organisation above it (the city included)."""
    return list(administrators_of(body_id).order_by("id"))


def collective_managers(collective_id: int) -> list[User]:
    return _users(Q(role=Role.COLLECTIVE_MANAGER, collective_id=collective_id))


def _users(condition: Q) -> list[User]:
    ids = RoleAssignment.objects.active().filter(condition).values("user_id")
    return list(User.objects.filter(id__in=ids, is_active=True).order_by("id"))


def notify(
    recipients: Iterable[User],
    text: str = "",
    *,
    link: str = "",
    code: str = "",
    params: Mapping[str, Any] | None = None,
    subject: Any = None,
) -> list[Notice]:
    """One notice per distinct recipient; one e-mail each (to those with an address) queued in
    the outbox, sent by the worker after commit.

    With ``params`` the notice stores facts for the registered kind ``code`` (see
    ``notices.messages``) and is rendered in each reader's language (``text`` is ignored).
    Without, ``text`` is stored and shown as given (free text)."""
    unique = {u.pk: u for u in recipients}
    stored: dict[str, Any] | None = None
    if params is not None:
        if not messages.is_registered(code):
            raise ValueError(f"unknown notice kind {code!r}: register it in AppConfig.ready")
        stored = messages.encode_params(params)
        with translation.override(settings.LANGUAGE_CODE):
            text = messages.render(code, stored)
    text = str(text)
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=u, text=text[:300], link=link, code=code, params=stored)
            for u in unique.values()
        ]
    )
    mails = []
    for u in unique.values():
        if not u.email:
            continue
        with translation.override(recipient_language(u)):
            body = messages.render(code, stored, text)
            title = str(subject) if subject else body[:60]
        mails.append(
            outbox.new_mail(
                to=u.email, subject=title, body=f"{body}\n\n{_absolute(link)}".strip(), recipient=u
            )
        )
    outbox.queue(mails)
    kept.changed(unique)  # after the notices: see accounts.kept
    return notices


def recipient_language(user: User) -> str:
    """The language a person reads their mail in: their own choice if the account keeps one,
    else the platform's default (zh-Hans)."""
    chosen = getattr(user, "language", "") or ""
    supported = {code for code, _label in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "")
    return f"{base}{link}" if link else ""


def mark_read(actor: Actor, *, notice_id: int | None = None) -> int:
    """Mark one of the actor's notices (or all of them) read. Not audited: personal state."""
    if actor.user is None:
        return 0
    qs = Notice.objects.filter(recipient=actor.user, read_at__isnull=True)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    marked = qs.update(read_at=timezone.now())
    if marked:
        kept.changed([actor.user.pk])
        kept.forget(actor.user)  # this request's bell, too, counts again
    return marked


def retry_mail(actor: Actor, *, mail: OutboundMail) -> None:
    """Send a message that failed for good once more (city admins), with fresh tries."""
    require(actor, "notices.manage_mail")
    if mail.status != MailStatus.FAILED:
        raise DomainError(_("只有发送失败的邮件可以重发。"))
    with transaction.atomic():
        outbox.retry(mail)
        log_action(actor, mail, "notices.mail.retried", data={"to": mail.to})
