"""Back-office pages of exchange events: the list (filters, Excel), a new event, an event's
page with its actions, registration, attendance, minutes and photos, and a mutual visit's
appraisal."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.core.actor import Actor
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.exchange import selectors as sel
from qnwmh.exchange import services
from qnwmh.exchange.export import events_export
from qnwmh.exchange.forms import (
    AppraisalForm,
    AttendanceForm,
    CancelForm,
    EventForm,
    MinutesForm,
    RegisterForm,
)
from qnwmh.exchange.models import (
    EVENT_TRANSITIONS,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
)


def _url(event: Event) -> str:
    return reverse("exchange:detail", args=[event.code])


@guarded("exchange.view_list", check_first=True)
@require_safe
def event_list_view(request: ActorRequest) -> HttpResponseBase:
    filters = sel.EventFilters.from_query(request.GET)
    if request.GET.get("export") == "xlsx":
        return events_export(request.actor, filters)
    page = paginate(request, sel.event_rows(request.actor, filters))
    return render(
        request,
        "exchange/list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": EventKind.choices,
            "statuses": EventStatus.choices,
            "qs": querystring_without_page(request),
            "can_organise": can(request.actor, "exchange.organise", None),
        },
    )


@guarded("exchange.organise")
def event_new_view(request: ActorRequest) -> HttpResponse:
    form = EventForm(request.actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = services.event_create(
                request.actor,
                kind=d["kind"],
                title=d["title"],
                organiser=d["organiser"],
                held_on=d["held_on"],
                place=d["place"],
                description=d["description"],
                capacity=d["capacity"],
                registration_closes_on=d["registration_closes_on"],
                invited_bodies=d["invited_bodies"],
                invited_collectives=d["invited_collectives"],
                host=d["host"],
                guest=d["guest"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("活动已创建（草稿），开放报名后被邀请方将收到通知。"))
            return redirect(_url(event))
    return render(request, "exchange/new.html", {"form": form}, status=400 if form.errors else 200)


def _can_register(actor: Actor, event: Event) -> bool:
    return (
        event.status == EventStatus.OPEN
        and can(actor, "exchange.register", event)
        and sel.registrable_collectives(actor, event).exists()
    )


@guarded("exchange.view_list", load=sel.event_detail, check_first=True)
@require_safe
def event_detail_view(request: ActorRequest, event: Event) -> HttpResponse:
    actor = request.actor
    manage = can(actor, "exchange.manage", event)
    registrations = sel.registrations_of(event)
    return render(
        request,
        "exchange/detail.html",
        {
            "e": event,
            "manage": manage,
            "next_states": [
                (value, label)
                for value, label in EVENT_TRANSITIONS.next_states(event)
                if value != EventStatus.CANCELLED
            ],
            "can_cancel": event.status in (EventStatus.DRAFT, EventStatus.OPEN),
            "invitations": sel.invitations_of(event),
            "registrations": registrations,
            "mine": {
                r.pk
                for r in registrations
                if r.status == RegistrationStatus.REGISTERED
                and can(actor, "exchange.act_for", r.collective)
            }
            if event.status == EventStatus.OPEN and not event.is_mutual_visit
            else set(),
            "can_register": _can_register(actor, event),
            "appraisals": list(event.appraisals.select_related("by_collective", "of_collective")),
            "can_appraise": event.status == EventStatus.HELD
            and can(actor, "exchange.appraise", event),
            "photos": list(event.photos.all()) if manage else [],
            "photo_count": event.photos.count(),
        },
    )


# The moves a button makes, by the state they lead to (cancelling asks for a reason).
MOVES = {
    EventStatus.OPEN: services.event_open,
    EventStatus.HELD: services.event_hold,
    EventStatus.CLOSED: services.event_close,
}


@guarded("exchange.manage", load=sel.event_detail, back=_url)
@require_POST
def event_act_view(request: ActorRequest, event: Event, to: str) -> HttpResponse:
    if to not in MOVES:
        raise Http404
    service, target = MOVES[EventStatus(to)], EventStatus(to)
    if not is_confirmed(request):
        return ask(
            request,
            _("将“%(title)s”转为“%(to)s”？") % {"title": event.title, "to": target.label},
            back=_url(event),
        )
    service(request.actor, event)
    messages.success(request, _("活动状态已更新为“%(to)s”。") % {"to": target.label})
    return redirect(_url(event))


@guarded("exchange.manage", load=sel.event_detail)
def event_cancel_view(request: ActorRequest, event: Event) -> HttpResponse:
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(request.actor, event, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("活动已取消。"))
            return redirect(_url(event))
    return render(
        request,
        "exchange/form.html",
        {"e": event, "form": form, "heading": _("取消活动"), "button": _("取消活动")},
        status=400 if form.errors else 200,
    )


@guarded("exchange.register", load=sel.event_detail)
def register_view(request: ActorRequest, event: Event) -> HttpResponse:
    form = RegisterForm(sel.registrable_collectives(request.actor, event), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register(
                request.actor,
                event,
                collective=form.cleaned_data["collective"],
                people=form.cleaned_data["people"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("报名成功。"))
            return redirect(_url(event))
    return render(
        request,
        "exchange/form.html",
        {"e": event, "form": form, "heading": _("报名"), "button": _("报名")},
        status=400 if form.errors else 200,
    )


def _registration(actor: Actor, code: str, pk: int) -> Registration:
    event = sel.event_detail(actor, code)
    return get_object_or_404(
        Registration.objects.select_related("event", "collective"), event=event, pk=pk
    )


@guarded(
    "exchange.act_for",
    load=_registration,
    of="collective",
    back=lambda r: _url(r.event),
)
@require_POST
def withdraw_view(request: ActorRequest, registration: Registration) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("%(c)s 退出“%(title)s”的报名？")
            % {"c": registration.collective.name, "title": registration.event.title},
            back=_url(registration.event),
        )
    services.withdraw(request.actor, registration)
    messages.success(request, _("已退出报名，名额已释放。"))
    return redirect(_url(registration.event))


@guarded("exchange.manage", load=sel.event_detail)
def attendance_view(request: ActorRequest, event: Event) -> HttpResponse:
    registered = [
        r for r in sel.registrations_of(event) if r.status == RegistrationStatus.REGISTERED
    ]
    form = AttendanceForm(registered, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(request.actor, event, attended=form.ids())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("出席情况已登记。"))
            return redirect(_url(event))
    return render(
        request,
        "exchange/form.html",
        {"e": event, "form": form, "heading": _("登记出席"), "button": _("保存")},
        status=400 if form.errors else 200,
    )


@guarded("exchange.manage", load=sel.event_detail)
def minutes_view(request: ActorRequest, event: Event) -> HttpResponse:
    form = MinutesForm(request.POST or None, initial={"minutes": event.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(
                request.actor,
                event,
                minutes=form.cleaned_data["minutes"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("纪要和照片已保存。"))
            return redirect(_url(event))
    return render(
        request,
        "exchange/minutes.html",
        {"e": event, "form": form, "max_photos": services.MAX_PHOTOS},
        status=400 if form.errors else 200,
    )


@guarded("exchange.appraise", load=sel.event_detail)
def appraise_view(request: ActorRequest, event: Event) -> HttpResponse:
    done = set(event.appraisals.values_list("by_collective_id", flat=True))
    sides = [c for c in sel.sides_for(request.actor, event) if c.pk not in done]
    form = AppraisalForm(sides, sel.appraisal_items(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraise(request.actor, event, by_collective=form.side(), scores=form.scores())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("评价已提交。"))
            return redirect(_url(event))
    return render(
        request,
        "exchange/appraise.html",
        {"e": event, "form": form, "sides": sides},
        status=400 if form.errors else 200,
    )
