from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate
from qnwmh.notices import services
from qnwmh.notices.models import MailStatus, Notice, OutboundMail
from qnwmh.notices.selectors import notice_detail, notice_list, outbox_mail, unread_count


def _mail_page(_loaded: OutboundMail | None) -> str:
    """Where a refused retry returns to."""
    return reverse("notices:mail")


def _read_url() -> Callable[[int], str]:
    """A notice's "mark as read" address from one ``reverse`` for the whole list (the id
    converter takes digits only, so ``core.fragments.link`` cannot stand in for it)."""
    head, tail = reverse("notices:read", args=[1]).rsplit("/1/", 1)
    return lambda pk: f"{head}/{pk}/{tail}"


@guarded()
def notice_list_view(request: ActorRequest) -> HttpResponse:
    qs = notice_list(request.actor)
    return render(
        request,
        "notices/list.html",
        {
            "page": paginate(request, qs),
            "read_url": _read_url(),
            "unread_count": unread_count(request),
            "qs": "",
        },
    )


@guarded(load=notice_detail)
@require_POST
def notice_read_view(request: ActorRequest, notice: Notice) -> HttpResponse:
    services.mark_read(request.actor, notice_id=notice.pk)
    return redirect(notice.link or "notices:list")


@guarded()
@require_POST
def notice_read_all_view(request: ActorRequest) -> HttpResponse:
    services.mark_read(request.actor)
    return redirect("notices:list")


@guarded("notices.manage_mail")
@require_safe
def mail_view(request: ActorRequest) -> HttpResponse:
    """E-mail the worker could not send (after every retry), with a button to send again; and
    how many are still waiting."""
    failed = OutboundMail.objects.filter(status=MailStatus.FAILED)
    return render(
        request,
        "notices/mail.html",
        {
            "page": paginate(request, failed),
            "pending": OutboundMail.objects.filter(status=MailStatus.PENDING).count(),
            "retrying": OutboundMail.objects.filter(
                status=MailStatus.PENDING, attempts__gt=0
            ).count(),
            "qs": "",
        },
    )


# Only the city sees the outbox at all: to anyone else every mail id answers 403, whether or
# not it exists.
@guarded("notices.manage_mail", load=outbox_mail, back=_mail_page, check_first=True)
@require_POST
def mail_retry_view(request: ActorRequest, mail: OutboundMail) -> HttpResponse:
    services.retry_mail(request.actor, mail=mail)
    messages.success(request, _("已重新排队发送。"))
    return redirect("notices:mail")
