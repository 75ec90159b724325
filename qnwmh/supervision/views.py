"""Back-office pages of supervision: lists with filters, a complaint's handling page, staff
entry of phone/letter complaints, per-collective history, figures, masked Excel export and
the holiday calendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qnwmh.audit.selectors import history_of
from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import collective_detail, filter_choices
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.masking import mask_name, mask_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.supervision import services
from qnwmh.supervision.export import complaints_export
from qnwmh.supervision.forms import HolidayForm, StaffComplaintForm
from qnwmh.supervision.models import (
    ACK_TIMELINESS,
    FINISH_TIMELINESS,
    Category,
    Channel,
    Complaint,
    ComplaintPhoto,
    Holiday,
    Kind,
    Status,
)
from qnwmh.supervision.selectors import (
    GROUPS,
    STATES,
    ComplaintFilters,
    RatingFilters,
    active_holiday,
    complaint_detail,
    complaint_ids,
    complaint_list,
    complaint_photo,
    complaint_years,
    complaints_in_order,
    complaints_visible_to,
    figures,
    month_choices,
    rating_list,
    rating_stats,
    rating_summary,
    rating_years,
)


def _scope_choices(actor: Any, facets: tuple[str, ...]) -> dict[str, Any]:
    """Only the bodies, towns and sectors that can narrow the actor's list."""
    return {k: v for k, v in filter_choices(actor, facets).items() if k in facets}


def _filter_context(actor: Any, filters: ComplaintFilters) -> dict[str, Any]:
    return {
        "filters": filters,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "statuses": Status.choices,
        "kinds": Kind.choices,
        "categories": Category.choices,
        "channels": Channel.choices,
        "years": [(y, y) for y in complaint_years(filters.year)],
        "ack_choices": ACK_TIMELINESS,
        "finish_choices": FINISH_TIMELINESS,
        **_scope_choices(actor, ("bodies", "towns", "sectors")),
    }


STATE_LABELS = {
    "open": gettext_lazy("办理中"),
    "overdue": gettext_lazy("已超期"),
    "escalated": gettext_lazy("已督办"),
    "city_review": gettext_lazy("待团市委复查"),
    "answered": gettext_lazy("已答复待评价"),
    "finished": gettext_lazy("已办结"),
    "held": gettext_lazy("超出受理量待核查"),
}


@guarded("supervision.view_list")
def complaint_list_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    filters = ComplaintFilters.from_query(request.GET)
    page = paginate(request, complaint_ids(actor, filters))
    page.object_list = complaints_in_order(list(page.object_list))
    context = {
        "page": page,
        "qs": querystring_without_page(request),
        "today": timezone.localdate(),
        "can_enter": can(actor, "supervision.enter"),
        **_filter_context(actor, filters),
    }
    template = "supervision/_table.html" if request.htmx else "supervision/list.html"
    return render(request, template, context)


@guarded("supervision.enter")
def complaint_enter_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = StaffComplaintForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            complaint = services.complaint_enter(
                actor, photos=request.FILES.getlist("photos"), **data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已登记，查询码 %(code)s，请告知投诉人。") % {"code": complaint.code}
            )
            return redirect("supervision:detail", code=complaint.code)
    return render(request, "supervision/enter.html", {"form": form})


@guarded(load=complaint_detail)
def complaint_detail_view(request: ActorRequest, complaint: Complaint) -> HttpResponse:
    actor = request.actor
    history = history_of(complaint)
    may_handle = can(actor, "supervision.handle", complaint)
    return render(
        request,
        "supervision/detail.html",
        {
            "x": complaint,
            "today": timezone.localdate(),
            "overdue": complaint.is_overdue(),
            "ack_timeliness": dict(ACK_TIMELINESS).get(complaint.ack_timeliness, ""),  # type: ignore[attr-defined]
            "finish_timeliness": dict(FINISH_TIMELINESS).get(complaint.finish_timeliness, ""),  # type: ignore[attr-defined]
            "show_identity": can(actor, "supervision.view_identity", complaint),
            "can_handle": may_handle,
            "can_moderate": can(actor, "supervision.moderate", complaint),
            "handlers": services.eligible_handlers(complaint) if may_handle else [],
            "history": [(e, HISTORY_LABELS.get(e.code, e.code)) for e in history],
            "photos": complaint.photos.all(),
            "S": Status,
        },
    )


HISTORY_LABELS = {
    "supervision.complaint.filed": gettext_lazy("接收"),
    "supervision.complaint.acknowledged": gettext_lazy("受理"),
    "supervision.complaint.assigned": gettext_lazy("指派承办人"),
    "supervision.complaint.investigating": gettext_lazy("开始调查"),
    "supervision.complaint.rectification_ordered": gettext_lazy("责令整改"),
    "supervision.complaint.replied": gettext_lazy("答复"),
    "supervision.complaint.not_substantiated": gettext_lazy("认定不属实"),
    "supervision.complaint.duplicate": gettext_lazy("标记重复"),
    "supervision.complaint.closed": gettext_lazy("办结"),
    "supervision.complaint.filer_satisfied": gettext_lazy("投诉人表示满意"),
    "supervision.complaint.reopened": gettext_lazy("投诉人不满意，转团市委复查"),
    "supervision.complaint.escalated": gettext_lazy("超期督办"),
    "supervision.complaint.text_hidden": gettext_lazy("屏蔽内容"),
    "supervision.complaint.text_shown": gettext_lazy("取消屏蔽"),
    "supervision.complaint.anonymised": gettext_lazy("匿名化"),
}


# One POST endpoint per complaint; the action picks the service.
ACTIONS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "acknowledge": lambda a, c, p: services.complaint_acknowledge(a, complaint=c),
    "investigate": lambda a, c, p: services.complaint_investigate(a, complaint=c),
    "rectify": lambda a, c, p: services.complaint_order_rectification(
        a, complaint=c, findings=p.get("findings", ""), rectification=p.get("rectification", "")
    ),
    "reply": lambda a, c, p: services.complaint_reply(
        a, complaint=c, reply=p.get("reply", ""), findings=p.get("findings", "")
    ),
    "not_substantiated": lambda a, c, p: services.complaint_not_substantiated(
        a, complaint=c, findings=p.get("findings", ""), reply=p.get("reply", "")
    ),
    "duplicate": lambda a, c, p: services.complaint_mark_duplicate(
        a, complaint=c, original_code=p.get("original_code", "")
    ),
    "close": lambda a, c, p: services.complaint_close(a, complaint=c),
    "hide": lambda a, c, p: services.complaint_hide_text(
        a, complaint=c, reason=p.get("reason", "")
    ),
    "show": lambda a, c, p: services.complaint_show_text(a, complaint=c),
    "assign": lambda a, c, p: services.complaint_assign(a, complaint=c, handler=_handler(c, p)),
}


# What each action says it did (the page shows it after the redirect).
ACTION_MESSAGES: dict[str, Callable[[Any], str]] = {
    "acknowledge": lambda c: _("已受理。"),
    "investigate": lambda c: _("已开始调查。"),
    "rectify": lambda c: _("已责令整改。"),
    "reply": lambda c: _("已答复投诉人。"),
    "not_substantiated": lambda c: _("已认定不属实并答复投诉人。"),
    "duplicate": lambda c: _("已标记为重复件。"),
    "close": lambda c: _("已办结。"),
    "hide": lambda c: _("已屏蔽内容。"),
    "show": lambda c: _("已取消屏蔽。"),
    "assign": lambda c: _("已指派给 %(name)s。") % {"name": c.handler},
}


def _handler(complaint: Any, post: Any) -> Any:
    raw = str(post.get("handler") or "")
    if not raw.isdigit():
        raise DomainError(_("请选择承办人。"), field="handler")
    return get_object_or_404(services.eligible_handlers(complaint), pk=int(raw))


def _detail_url(complaint: Complaint) -> str:
    return reverse("supervision:detail", args=[complaint.code])


# Any visible complaint; each action's service checks its own rule (``supervision.handle``, or
# ``supervision.moderate`` to hide and show the text), so the endpoint declares none.
@guarded(load=complaint_detail, back=_detail_url)
@require_POST
def complaint_action_view(request: ActorRequest, complaint: Complaint, action: str) -> HttpResponse:
    run = ACTIONS.get(action)
    if run is None:
        raise Http404
    done = run(request.actor, complaint, request.POST)
    messages.success(request, ACTION_MESSAGES[action](done))
    return redirect("supervision:detail", code=complaint.code)


@guarded(load=complaint_photo)
def complaint_photo_view(request: ActorRequest, photo: ComplaintPhoto) -> HttpResponseBase:
    try:
        handle = default_storage.open(photo.evidence.storage_name, "rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Only league staff read complaints: others are refused before the collective is looked up.
@guarded("supervision.view_list", load=collective_detail, check_first=True)
def collective_history_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    complaints = (
        complaints_visible_to(actor)
        .filter(collective=collective)
        .select_related("collective", "body", "handler")
    )
    page = paginate(request, complaints)
    ratings = collective.ratings.filter(comment_hidden=False).exclude(comment="")[:20]
    summary = rating_summary(collective.pk)
    return render(
        request,
        "supervision/collective.html",
        {
            "c": collective,
            "page": page,
            "ratings": ratings,
            "summary": summary,
            "qs": querystring_without_page(request),
            "today": timezone.localdate(),
        },
    )


@guarded("supervision.view_list")
def figures_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    filters = ComplaintFilters.from_query(request.GET)
    tables = [
        (label, figures(actor, filters, group))
        for group, label in (
            ("town", _("按镇区")),
            ("sector", _("按行业系统")),
            ("category", _("按类别")),
        )
    ]
    category_labels = dict(Category.choices)
    for _label, rows in tables:
        for row in rows:
            row["label"] = category_labels.get(row["label"], row["label"]) or _("（未填）")
    return render(
        request,
        "supervision/figures.html",
        {"tables": tables, "groups": GROUPS, **_filter_context(actor, filters)},
    )


@guarded("supervision.view_list")
def export_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = ComplaintFilters.from_query(request.GET)
    return complaints_export(
        actor,
        complaint_list(actor, filters),
        filters=asdict(filters),
        mask_name=mask_name,
        mask_phone=mask_phone,
    )


@guarded("supervision.view_list")
def rating_list_view(request: ActorRequest) -> HttpResponse:
    """The public's ratings (given on a collective's QR page) of the collectives in scope, with
    their count and average score; the dashboard's monthly ratings link here."""
    actor = request.actor
    filters = RatingFilters.from_query(request.GET)
    ratings = rating_list(actor, filters)
    return render(
        request,
        "supervision/ratings.html",
        {
            "page": paginate(request, ratings),
            "stats": rating_stats(ratings),
            "qs": querystring_without_page(request),
            "filters": filters,
            "years": [(y, y) for y in rating_years(filters.year)],
            "months": month_choices(),
            "stars": [(n, f"{n}★") for n in range(5, 0, -1)],
            **_scope_choices(actor, ("bodies", "towns")),
        },
    )


@guarded("supervision.manage_holidays")
def holiday_list_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_add(actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已登记。"))
            return redirect("supervision:holidays")
    return render(
        request,
        "supervision/holidays.html",
        {"form": form, "holidays": Holiday.objects.filter(active=True)},
    )


def _holidays_url(_: Holiday | None) -> str:
    return reverse("supervision:holidays")


# The calendar is the city's: others are refused before the day is looked up.
@guarded("supervision.manage_holidays", load=active_holiday, back=_holidays_url, check_first=True)
@require_POST
def holiday_deactivate_view(request: ActorRequest, holiday: Holiday) -> HttpResponse:
    services.holiday_deactivate(request.actor, holiday=holiday)
    messages.success(request, _("已停用。"))
    return redirect("supervision:holidays")
