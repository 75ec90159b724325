"""The public side of the notice part (no account): the notices (open and ended), one notice
with its collectives (removed ones marked, with the published reason), the objection form
and the objector's tracking page. No page here shows an objector's name or phone."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.awards.forms.notice import ObjectionForm
from qnwmh.awards.models import NoticeItem, Objection, ObjectionStatus, PublicNotice
from qnwmh.awards.selectors.notice import (
    notice_items,
    public_item,
    public_notice,
    public_notices,
    tracked_objection,
)
from qnwmh.awards.services import notice as services
from qnwmh.core.actor import ANONYMOUS, Actor
from qnwmh.core.codes import is_code_shaped, normalise_code
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.middleware import body_too_large


def public_actor(request: ActorRequest) -> Actor:
    """Public intake acts as an anonymous visitor from the client's address, even when a
    signed-in clerk fills the form."""
    return Actor(user=None, ip=request.actor.ip or ANONYMOUS.ip)


@guarded(public=True)
def notices_view(request: ActorRequest) -> HttpResponse:
    today = timezone.localdate()
    notices = list(public_notices(today).order_by("-opens_on", "-id")[:200])
    return render(
        request,
        "awards/notice/public/notices.html",
        {
            "open": [n for n in notices if n.state(today) == "open"],
            "ended": [n for n in notices if n.state(today) == "ended"],
        },
    )


@guarded(public=True, load=public_notice)
def notice_view(request: ActorRequest, notice: PublicNotice) -> HttpResponse:
    return render(
        request,
        "awards/notice/public/notice.html",
        {"n": notice, "items": notice_items(notice), "open": notice.is_open},
    )


def _item(actor: Actor, code: str, position: int) -> NoticeItem:
    return public_item(public_notice(actor, code), position)


@guarded(public=True, load=_item)
def objection_view(request: ActorRequest, item: NoticeItem) -> HttpResponse:
    refusal = services.objection_refusal(item)
    form = ObjectionForm(request.POST or None)
    status = 200
    limit_mb = services.LIMITS["max_body_mb"]
    if request.method == "POST" and body_too_large(request, limit_mb * 1024 * 1024):
        form = ObjectionForm()
        form.add_error(None, _("附件总大小不能超过 %(mb)s MB。") % {"mb": limit_mb})
        status = 413
    elif request.method == "POST" and form.is_valid() and not refusal:
        try:
            objection = services.objection_file(
                public_actor(request),
                item=item,
                files=request.FILES.getlist("files"),
                **form.cleaned_data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            status = 429 if exc.code == "rate_limited" else 400
        else:
            return redirect(reverse("awards_public:track", args=[objection.code]) + "?new=1")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "awards/notice/public/objection.html",
        {
            "item": item,
            "n": item.notice,
            "form": form,
            "refusal": refusal,
            "max_files": services.LIMITS["max_files"],
        },
        status=status,
    )


@guarded(public=True)
def track_lookup_view(request: ActorRequest) -> HttpResponse:
    raw = (request.GET.get("code") or "").strip()
    code = normalise_code(raw)
    if is_code_shaped(code):
        return redirect("awards_public:track", tracking_code=code)
    error = _("没有找到这个查询码的异议，请核对后重新输入。") if raw else ""
    return render(
        request, "awards/notice/public/track_lookup.html", {"error": error, "raw": raw[:16]}
    )


@guarded(public=True, load=tracked_objection)
def track_view(request: ActorRequest, objection: Objection) -> HttpResponse:
    """By tracking code: the collective, the status, the due date and, once decided, the
    outcome and its public reason. Never the text, the contact or the internal findings."""
    response = render(
        request,
        "awards/notice/public/track.html",
        {
            "o": objection,
            "decided": objection.status == ObjectionStatus.DECIDED,
            "just_filed": request.GET.get("new") == "1",
            "link": request.build_absolute_uri(
                reverse("awards_public:track", args=[objection.code])
            ),
        },
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
