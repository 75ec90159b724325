from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from qnwmh.core.pagination import paginate
from qnwmh.notices import services
from qnwmh.notices.models import Notice


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
