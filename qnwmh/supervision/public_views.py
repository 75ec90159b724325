"""The public side of supervision (no account): the feedback page reached from a collective's
QR page, the rating form and the filer's private tracking page. No page here ever shows a
filer's name or phone."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.accounts.middleware import client_ip
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import ANONYMOUS, Actor
from qnwmh.core.codes import is_code_shaped, normalise_code
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.middleware import body_too_large
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision import ratelimit, services
from qnwmh.supervision.forms import PublicComplaintForm, RatingForm
from qnwmh.supervision.models import Complaint, Status
from qnwmh.supervision.selectors import filer_complaint, public_collective, rating_summary

DEVICE_COOKIE = "qnwmh_dev"
DEVICE_MAX_AGE = 365 * 24 * 3600
NEW_COOKIE = "qnwmh_new"  # tracking code and filer secret, for the confirmation page only
NEW_MAX_AGE = 600


def public_actor(request: ActorRequest) -> Actor:
    """Public intake acts as an anonymous visitor from the client's address, even when a
    signed-in clerk fills the form."""
    return Actor(user=None, ip=request.actor.ip or ANONYMOUS.ip)


def device_key(request: HttpRequest) -> str:
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    if not (20 <= len(raw) <= 64 and raw.isalnum()):
        raw = f"{client_ip(request) or ''}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(16),
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _page(
    request: HttpRequest, collective: Collective, form: Any, rating_form: Any, status: int = 200
) -> HttpResponse:
    rules = ProgrammeRules.current()
    summary = rating_summary(collective.pk)
    response = render(
        request,
        "supervision/public/feedback.html",
        {
            "c": collective,
            "form": form,
            "rating_form": rating_form,
            "rules": rules,
            "rating_count": summary["n"],
            "rating_avg": summary["avg"],
        },
        status=status,
    )
    return _with_device(request, response)


@guarded(public=True, load=public_collective)
def feedback_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    limit_mb = services.LIMITS["max_body_mb"]
    if request.method == "POST" and body_too_large(request, limit_mb * 1024 * 1024):
        # Refused from the header alone, before the photos are read.
        messages.error(
            request,
            _("照片总大小不能超过 %(mb)s MB，请减少或压缩照片后重新提交。") % {"mb": limit_mb},
        )
        return _page(request, collective, PublicComplaintForm(), RatingForm(), status=413)
    form = PublicComplaintForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                complaint = services.complaint_file(
                    public_actor(request),
                    collective=collective,
                    **form.cleaned_data,
                    photos=request.FILES.getlist("photos"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                return _page(
                    request,
                    collective,
                    form,
                    RatingForm(),
                    status=429 if exc.code == "rate_limited" else 400,
                )
            # The secret rides to the confirmation page in a short-lived signed cookie of the
            # filer's own browser, dropped there: it is never kept on the server in clear.
            response = redirect("supervision_public:track", tracking_code=complaint.code)
            response.set_signed_cookie(
                NEW_COOKIE,
                f"{complaint.code}:{complaint.filer_secret}",
                salt=NEW_COOKIE,
                max_age=NEW_MAX_AGE,
                path=reverse("supervision_public:track", args=[complaint.code]),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
        return _page(request, collective, form, RatingForm(), status=400)
    return _page(request, collective, form, RatingForm())


@guarded(public=True, load=public_collective)
@require_POST
def rate_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    # The refusal is handled here, not by the guard: every answer, refusals included, carries
    # the device cookie and returns to the rating form's anchor.
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择 1 到 5 星。"))
    else:
        try:
            services.rating_add(
                public_actor(request),
                collective=collective,
                device=device_key(request),
                **form.cleaned_data,
            )
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("感谢您的评价！"))
    return _with_device(
        request,
        redirect(reverse("supervision_public:feedback", args=[collective.code]) + "#rate"),
    )


@guarded(public=True)
def track_lookup_view(request: ActorRequest) -> HttpResponse:
    raw = (request.GET.get("code") or "").strip()
    code = normalise_code(raw)
    if is_code_shaped(code):
        return redirect("supervision_public:track", tracking_code=code)
    error = _("没有找到这个查询码的投诉，请核对后重新输入。") if raw else ""
    return render(
        request, "supervision/public/track_lookup.html", {"error": error, "raw": raw[:16]}
    )


STEPS = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.REPLIED, Status.CLOSED]
SECRET_TRIES = (30, 3600)  # wrong-secret attempts per address and hour


@guarded(public=True, load=filer_complaint)
def track_view(request: ActorRequest, complaint: Complaint) -> HttpResponse:
    """By tracking code alone: the status and deadlines. With the filer's secret (posted, never
    in the URL): the text, the reply and the filer's answer to it."""
    new = request.get_signed_cookie(NEW_COOKIE, "", salt=NEW_COOKIE, max_age=NEW_MAX_AGE) or ""
    new_code, _sep, secret = new.partition(":")
    just_filed = new_code == complaint.code and complaint.filer_secret_matches(secret)
    if not just_filed:
        secret = ""
    status = 200
    error = ""
    if request.method == "POST":
        secret = (request.POST.get("secret") or "").strip().upper()[:32]
        if not complaint.filer_secret_matches(secret):
            secret = ""
            if not ratelimit.hit(f"s:ip:{public_actor(request).ip}", *SECRET_TRIES):
                status, error = 429, _("尝试次数过多，请稍后再试。")
            else:
                status, error = 403, _("查询密码不正确。")
    private = bool(secret)
    can_feedback = (
        private
        and complaint.status in (Status.REPLIED, Status.NOT_SUBSTANTIATED)
        and not (
            complaint.feedback_at
            and complaint.replied_at
            and complaint.feedback_at >= complaint.replied_at
        )
    )
    response = render(
        request,
        "supervision/public/track.html",
        {
            "x": complaint,
            "just_filed": just_filed,
            "private": private,
            "secret": secret,
            "error": error,
            "can_feedback": can_feedback,
            "link": request.build_absolute_uri(
                reverse("supervision_public:track", args=[complaint.code])
            ),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    if NEW_COOKIE in request.COOKIES:
        response.delete_cookie(NEW_COOKIE, path=request.path, samesite="Lax")
    # The URL is the key: never leak it to other sites ("no-referrer" would make the browser
    # send "Origin: null" on the feedback form and fail the CSRF origin check).
    response["Referrer-Policy"] = "same-origin"
    return response


def _track_url(complaint: Complaint) -> str:
    return reverse("supervision_public:track", args=[complaint.code])


@guarded(public=True, load=filer_complaint, back=_track_url)
@require_POST
def track_feedback_view(request: ActorRequest, complaint: Complaint) -> HttpResponse:
    answer = request.POST.get("satisfied")
    if answer not in ("yes", "no"):
        raise DomainError(_("请选择是否满意。"))
    services.complaint_feedback(
        public_actor(request),
        complaint=complaint,
        secret=(request.POST.get("secret") or "")[:32],
        satisfied=answer == "yes",
        comment=request.POST.get("comment", "")[:500],
    )
    messages.success(
        request,
        _("感谢您的反馈。") if answer == "yes" else _("已收到，您的诉求将转团市委复查。"),
    )
    return redirect("supervision_public:track", tracking_code=complaint.code)
