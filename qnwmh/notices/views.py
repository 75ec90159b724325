from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.core.errors import DomainError
from qnwmh.core.pagination import paginate
from qnwmh.core.permissions import require
from qnwmh.notices import services
from qnwmh.notices.models import MailStatus, Notice, OutboundMail


@login_required
def notice_list_view(request: HttpRequest) -> HttpResponse:
    qs = Notice.objects.filter(recipient_id=request.user.pk)
    return render(
        request,
        "notices/list.html",
        {
            "page": paginate(request, qs),
            "unread_count": qs.filter(read_at__isnull=True).count(),
            "qs": "",
        },
    )


@login_required
@require_POST
def notice_read_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=notice_id, recipient_id=request.user.pk)
    services.mark_read(request.actor, notice_id=notice.pk)  # type: ignore[attr-defined]
    return redirect(notice.link or "notices:list")


@login_required
@require_POST
def notice_read_all_view(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.actor)  # type: ignore[attr-defined]
    return redirect("notices:list")


@login_required
@require_safe
def mail_view(request: HttpRequest) -> HttpResponse:
    """E-mail the worker could not send (after every retry), with a button to send again; and
    how many are still waiting."""
    require(request.actor, "notices.manage_mail")  # type: ignore[attr-defined]
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


@login_required
@require_POST
def mail_retry_view(request: HttpRequest, mail_id: int) -> HttpResponse:
    require(request.actor, "notices.manage_mail")  # type: ignore[attr-defined]
    mail = get_object_or_404(OutboundMail, pk=mail_id)
    try:
        services.retry_mail(request.actor, mail=mail)  # type: ignore[attr-defined]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("已重新排队发送。"))
    return redirect("notices:mail")
