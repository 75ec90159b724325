"""Back-office pages of the notice part: the shortlists' inspections (list, record, detail),
publishing a notice, the notices, and the objections (list, detail, assign, decide). City
staff act; body admins read their own entries' records, objectors' phones masked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from qnwmh.awards.forms.notice import AssignForm, DecideForm, InspectionForm, NoticeForm
from qnwmh.awards.models import Objection, ObjectionStatus, PublicNotice, Shortlist, ShortlistEntry
from qnwmh.awards.selectors.notice import (
    OBJECTION_STATES,
    ObjectionFilters,
    entry_in_shortlist,
    inspection_list,
    is_overdue,
    notice_detail,
    notice_items,
    notices_visible_to,
    objection_detail,
    objection_list,
    publishable_entries,
    shortlist_detail,
    shortlists_visible_to,
)
from qnwmh.awards.services import notice as services
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.masking import mask_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can


def _inspections_url(entry: ShortlistEntry) -> str:
    return reverse("awards:inspections", args=[entry.shortlist.code])


def _objection_url(objection: Objection) -> str:
    return reverse("awards:objection", args=[objection.pk])


# Notices and shortlists --------------------------------------------------------------------


@guarded("awards.view")
@require_safe
def notices_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "awards/notice/notices.html",
        {
            "shortlists": list(shortlists_visible_to(actor)[:20]),
            "notices": list(notices_visible_to(actor).order_by("-opens_on", "-id")[:100]),
            "today": timezone.localdate(),
            "can_publish": can(actor, "awards.publish_notice"),
        },
    )


@guarded("awards.view", load=notice_detail, check_first=True)
@require_safe
def notice_view(request: ActorRequest, notice: PublicNotice) -> HttpResponse:
    return render(
        request,
        "awards/notice/notice.html",
        {
            "n": notice,
            "items": notice_items(notice),
            "objections": objection_list(request.actor, ObjectionFilters(notice=notice.code)),
        },
    )


@guarded("awards.publish_notice", load=shortlist_detail, check_first=True)
def notice_publish_view(request: ActorRequest, shortlist: Shortlist) -> HttpResponse:
    entries = list(publishable_entries(shortlist))
    form = NoticeForm(entries, request.POST or None)
    if request.method == "GET" and not form.is_bound:
        first = not shortlist.notices.exists()
        form.initial.update(
            heading=_("%(round)s拟认定名单公示") % {"round": shortlist.round}
            if first
            else _("%(round)s拟认定名单补充公示") % {"round": shortlist.round},
            intro=_(
                "经组织推荐、评审和考察，现将以下集体作为青年文明号拟认定对象予以公示。"
                "公示期内，如有异议，请实名提出，并写明具体事实。"
            ),
        )
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(
                request.actor,
                shortlist=shortlist,
                heading=form.cleaned_data["heading"],
                intro=form.cleaned_data["intro"],
                contact=form.cleaned_data["contact"],
                opens_on=form.cleaned_data["opens_on"],
                summaries=form.summaries(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("公示已发布。"))
            return redirect("awards:notice", code=notice.code)
    return render(
        request,
        "awards/notice/publish.html",
        {"s": shortlist, "form": form, "days": shortlist.round.cycle.rule("notice_days", 7)},
        status=400 if form.errors else 200,
    )


# Inspection --------------------------------------------------------------------------------


@guarded("awards.view", load=shortlist_detail, check_first=True)
@require_safe
def inspections_view(request: ActorRequest, shortlist: Shortlist) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "awards/notice/inspections.html",
        {
            "s": shortlist,
            "entries": list(inspection_list(actor, shortlist)),
            "can_inspect": actor.is_city_admin,
            "can_publish": can(actor, "awards.publish_notice"),
            "shortlist_link": services.shortlist_link(shortlist),
        },
    )


@guarded("awards.view", load=entry_in_shortlist, check_first=True)
@require_safe
def inspection_view(request: ActorRequest, entry: ShortlistEntry) -> HttpResponse:
    inspection = getattr(entry, "inspection", None)
    return render(
        request,
        "awards/notice/inspection.html",
        {
            "e": entry,
            "x": inspection,
            "files": list(inspection.evidence.all()) if inspection else [],
            "can_inspect": inspection is None and can(request.actor, "awards.inspect", entry),
        },
    )


@guarded("awards.inspect", load=entry_in_shortlist)
def inspection_record_view(request: ActorRequest, entry: ShortlistEntry) -> HttpResponse:
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_record(
                request.actor,
                entry=entry,
                **form.cleaned_data,
                files=request.FILES.getlist("files"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("考察结果已记录。"))
            return redirect(_inspections_url(entry))
    return render(
        request,
        "awards/notice/inspection_form.html",
        {"e": entry, "form": form},
        status=400 if form.errors else 200,
    )


# Objections --------------------------------------------------------------------------------


@guarded("awards.view")
@require_safe
def objections_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    filters = ObjectionFilters.from_query(request.GET)
    page = paginate(request, objection_list(actor, filters))
    today = timezone.localdate()
    for o in page.object_list:
        o.overdue = is_overdue(o, today)
        o.shown_phone = o.contact_phone if actor.is_city_admin else mask_phone(o.contact_phone)
    return render(
        request,
        "awards/notice/objections.html",
        {
            "page": page,
            "filters": filters,
            "states": [(s, STATE_LABELS[s]) for s in OBJECTION_STATES],
            "qs": querystring_without_page(request),
        },
    )


STATE_LABELS = {
    "open": gettext_lazy("未办结"),
    "overdue": gettext_lazy("已超期"),
    "decided": gettext_lazy("已办结"),
}


@guarded("awards.view", load=objection_detail, check_first=True)
@require_safe
def objection_view(request: ActorRequest, objection: Objection) -> HttpResponse:
    return _objection_page(request, objection)


def _objection_page(
    request: ActorRequest,
    objection: Objection,
    *,
    assign: AssignForm | None = None,
    decide: DecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    handle = can(actor, "awards.handle_objection", objection)
    open_ = objection.status != ObjectionStatus.DECIDED
    return render(
        request,
        "awards/notice/objection.html",
        {
            "o": objection,
            "overdue": is_overdue(objection),
            "phone": objection.contact_phone
            if actor.is_city_admin
            else mask_phone(objection.contact_phone),
            "files": list(objection.evidence.all()),
            "assign": (assign or AssignForm(services.eligible_handlers()))
            if handle and open_
            else None,
            "decide": (decide or DecideForm()) if handle and open_ else None,
        },
        status=status,
    )


@guarded("awards.handle_objection", load=objection_detail, back=_objection_url)
@require_POST
def objection_assign_view(request: ActorRequest, objection: Objection) -> HttpResponse:
    form = AssignForm(services.eligible_handlers(), request.POST)
    if not form.is_valid():
        return _objection_page(request, objection, assign=form, status=400)
    services.objection_assign(
        request.actor, objection=objection, handler=form.cleaned_data["handler"]
    )
    messages.success(request, _("已指定承办人。"))
    return redirect(_objection_url(objection))


@guarded("awards.handle_objection", load=objection_detail, back=_objection_url)
@require_POST
def objection_decide_view(request: ActorRequest, objection: Objection) -> HttpResponse:
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(request.actor, objection=objection, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("异议已办结，结果已公开。"))
            return redirect(_objection_url(objection))
    return _objection_page(request, objection, decide=form, status=400)
