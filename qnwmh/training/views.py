"""Back-office pages of leader training: the sessions (list with filters and Excel, a new
one, a session with its QR code and attendance, remind, cancel), the check-in page a
manager's phone opens from the QR code, a leader's certificate and coverage per body."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.services import log_action
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import as_int, as_text
from qnwmh.training import selectors as sel
from qnwmh.training import services
from qnwmh.training.certificates import certificate_pdf, qr_svg
from qnwmh.training.exports import coverage_export, sessions_export
from qnwmh.training.forms import SessionForm
from qnwmh.training.models import Invitation, Session, SessionStatus


def _session_url(session: Session) -> str:
    return reverse("training:session", args=[session.code])


def checkin_url(request: HttpRequest, session: Session) -> str:
    """The address in the QR code: SITE_URL when set, else the host this page came from."""
    path = reverse("training:checkin", args=[session.checkin_token])
    return (settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")) + path


@guarded("training.view", check_first=True)
@require_safe
def sessions_view(request: ActorRequest) -> HttpResponseBase:
    filters = sel.SessionFilters.from_query(request.GET)
    if request.GET.get("export") == "xlsx":
        return sessions_export(request.actor, filters)
    page = paginate(request, sel.session_list(request.actor, filters))
    counts = sel.attendance_counts([s.pk for s in page.object_list])
    return render(
        request,
        "training/sessions.html",
        {
            "page": page,
            "rows": [(s, counts.get(s.pk, (0, 0))) for s in page.object_list],
            "filters": filters,
            "cycles": [(c.code, str(c)) for c in sel.cycles_for_coverage()],
            "statuses": SessionStatus.choices,
            "qs": querystring_without_page(request),
            "can_organise": can(request.actor, "training.organise"),
            "can_coverage": can(request.actor, "training.coverage"),
        },
    )


@guarded("training.organise")
def session_create_view(request: ActorRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            n = session.invitations.count()
            messages.success(request, _("已安排轮训，通知了 %(n)s 名号长。") % {"n": n})
            return redirect(_session_url(session))
    return render(
        request, "training/session_new.html", {"form": form}, status=400 if form.errors else 200
    )


@guarded("training.view", load=sel.session_detail, check_first=True)
@require_safe
def session_view(request: ActorRequest, session: Session) -> HttpResponse:
    actor = request.actor
    organises = can(actor, "training.manage", session)
    invitations = sel.with_completion(sel.invitations_of(actor, session, everyone=organises))
    opens, closes = sel.checkin_window(session)
    url = checkin_url(request, session)
    # The exam's page opens for city staff and for candidates (checked-in collectives) only.
    sits = session.invitations.filter(
        collective_id__in=actor.collective_ids, checked_in_at__isnull=False
    )
    exam_link = session.exam_id is not None and (actor.is_city_admin or sits.exists())
    counts = sel.attendance_counts([session.pk]).get(session.pk, (0, 0))
    return render(
        request,
        "training/session.html",
        {
            "s": session,
            "organises": organises,
            "page": paginate(request, invitations),
            "counts": counts,
            "opens": opens,
            "closes": closes,
            "checkin_url": url if organises else "",
            # segno's SVG is markup we generate from our own URL, never user input.
            "qr": mark_safe(qr_svg(url, scale=6).decode()) if organises else "",
            "exam_link": exam_link,
            "scheduled": session.status == SessionStatus.SCHEDULED,
            "ended": timezone.now() >= session.ends_at,
            # services.cancel refuses a session under way or with check-ins.
            "cancellable": timezone.now() < session.starts_at and not counts[1],
        },
    )


@guarded("training.manage", load=sel.session_detail, back=_session_url)
@require_POST
def remind_view(request: ActorRequest, session: Session) -> HttpResponse:
    n = services.remind(request.actor, session=session)
    messages.success(request, _("已提醒 %(n)s 个未签到集体的管理员。") % {"n": n})
    return redirect(_session_url(session))


@guarded("training.manage", load=sel.session_detail, back=_session_url)
@require_POST
def invite_more_view(request: ActorRequest, session: Session) -> HttpResponse:
    n = services.invite_more(request.actor, session=session)
    messages.success(request, _("补充通知了 %(n)s 名号长。") % {"n": n})
    return redirect(_session_url(session))


@guarded("training.manage", load=sel.session_detail, back=_session_url)
@require_POST
def cancel_view(request: ActorRequest, session: Session) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request, _("取消后将通知所有参训集体，确定取消这次轮训吗？"), back=_session_url(session)
        )
    services.cancel(request.actor, session=session)
    messages.success(request, _("已取消轮训。"))
    return redirect(_session_url(session))


@guarded("training.check_in", load=sel.session_by_token, check_first=True)
def checkin_view(request: ActorRequest, session: Session) -> HttpResponse:
    """The page the QR code opens on a manager's phone: which collective's leader is invited,
    a button to check in, then the way to the test."""
    actor = request.actor
    error = ""
    if request.method == "POST":
        try:
            services.check_in(
                actor, session=session, collective_id=as_int(request.POST.get("collective"))
            )
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, _("签到成功。"))
            return redirect("training:checkin", token=session.checkin_token)
    mine = list(
        session.invitations.filter(collective_id__in=actor.collective_ids)
        .select_related("collective")
        .order_by("id")
    )
    opens, closes = sel.checkin_window(session)
    return render(
        request,
        "training/checkin.html",
        {
            "s": session,
            "mine": mine,
            "error": error,
            "opens": opens,
            "closes": closes,
            "pending": [i for i in mine if i.checked_in_at is None],
            "exam_url": reverse("knowledge:exam", args=[session.exam.code])
            if session.exam and any(i.checked_in_at for i in mine)
            else "",
        },
        status=400 if error else 200,
    )


@guarded(
    "training.certificate",
    load=sel.invitation_detail,
    back=lambda i: _session_url(i.session),
)
@require_safe
def certificate_view(request: ActorRequest, invitation: Invitation) -> HttpResponse:
    response = HttpResponse(certificate_pdf(invitation), content_type="application/pdf")
    log_action(request.actor, invitation, "training.certificate.printed")
    response["Content-Disposition"] = (
        f'attachment; filename="training-{invitation.session.code}-{invitation.pk}.pdf"'
    )
    return response


@guarded("training.coverage", check_first=True)
@require_safe
def coverage_view(request: ActorRequest) -> HttpResponseBase:
    cycles = list(sel.cycles_for_coverage())
    wanted = as_text(request.GET.get("cycle"), max_length=12)
    cycle = next((c for c in cycles if c.code == wanted), None) or sel.default_coverage_cycle()
    rows = sel.coverage(request.actor, cycle) if cycle else []
    if cycle and request.GET.get("export") == "xlsx":
        return coverage_export(request.actor, cycle, rows)
    context: dict[str, Any] = {
        "cycle": cycle,
        "cycles": [(c.code, str(c)) for c in cycles],
        "rows": rows,
        "total": sel.coverage_total(rows),
    }
    return render(request, "training/coverage.html", context)
