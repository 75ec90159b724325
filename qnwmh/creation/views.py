from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.collectives.models import Collective
from qnwmh.collectives.selectors import filter_choices
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.prepared import prepared
from qnwmh.core.querystring import Query, as_int
from qnwmh.core.replica import replica_reads
from qnwmh.creation import services
from qnwmh.creation.forms import AttachForm, CorrectionForm, DutyForm, NewEntryForm, PlanForm
from qnwmh.creation.ledger import build_ledger, dossier_response, dossier_zip
from qnwmh.creation.models import (
    ENTRY_FIELDS,
    PLAN_FIELDS,
    CreationPlan,
    DutyRecord,
    EntryKind,
    LogEntry,
    PlanVersion,
)
from qnwmh.creation.selectors import (
    EVIDENCE_CHOICES,
    EntryFilters,
    body_for_duties,
    body_summaries,
    collective_compliance,
    collective_for_records,
    collective_log,
    compliance_for,
    creating_members,
    cycle_and_choices,
    cycles_for_choice,
    duty_statuses,
    entry_for_records,
    entry_list,
    members_page_collectives,
    month_choices,
)
from qnwmh.orgs.models import Organisation
from qnwmh.orgs.selectors import bodies_visible_to


def _cycle_context(request: HttpRequest) -> dict[str, Any]:
    cycle, cycles = cycle_and_choices(request.GET)
    return {"cycle": cycle, "cycles": cycles}


# What the creation list and the compliance list show of a membership row and its collective.
MEMBERS_PAGE_COLUMNS = (
    "titled",
    "registered",
    "required",
    "collective__code",
    "collective__name",
    "collective__body__name",
)


@prepared
def _members_in_order(actor: Actor, cycle_id: int, body_id: int | None) -> Any:
    return (
        creating_members(actor, cycle_id, body_id)
        .select_related("collective__body")
        .only(*MEMBERS_PAGE_COLUMNS)
        .order_by("sort_key", "collective_id")
    )


def _members_page(request: HttpRequest, actor: Actor, cycle: Any, body: Any = None) -> Any:
    """A page of the actor's creating collectives in name order (``body``'s alone if given),
    their standing from the kept rows: the count and the page each walk one index of the
    membership rows, in SQL compiled once per process (the lists' hottest query)."""
    rows = _members_in_order.bind(actor, cycle.pk, body.pk if body is not None else None)
    page = paginate(request, rows)
    page.object_list = members_page_collectives(list(page.object_list))
    return page


# Collectives' records -------------------------------------------------------------------


@guarded("creation.view")
def index_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    page = _members_page(request, actor, ctx["cycle"])
    if actor.is_collective_manager and not actor.is_staff_of_body and page.paginator.count == 1:
        return redirect("creation:log", code=page.object_list[0].code)
    return render(
        request,
        "creation/index.html",
        {**ctx, "page": page, "qs": querystring_without_page(request)},
    )


@guarded(load=collective_for_records)
def log_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    kind = Query(request.GET).choice("kind", EntryKind.values)
    page = paginate(request, collective_log(collective, ctx["cycle"], kind))
    return render(
        request,
        "creation/log.html",
        {
            **ctx,
            "c": collective,
            "page": page,
            "kind": kind,
            "kinds": EntryKind.choices,
            "compliance": collective_compliance(collective, ctx["cycle"]),
            "can_edit": can(actor, "creation.edit_records", collective),
            "qs": querystring_without_page(request),
            # One reverse() for the page's entries (their codes are URL-safe as they are).
            "entries_url": reverse("creation:entry", args=[collective.code, "-"]).removesuffix(
                "-/"
            ),
        },
    )


@guarded("creation.edit_records", load=collective_for_records)
def entry_create_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    initial = {
        "occurred_on": timezone.localdate(),
        "kind": Query(request.GET).choice("kind", EntryKind.values),
    }
    form = NewEntryForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor,
                collective=collective,
                cycle=ctx["cycle"],
                values=form.cleaned_data,
                files=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("创建日志已登记。"))
            return redirect("creation:entry", code=collective.code, entry=entry.code)
    return render(request, "creation/entry_form.html", {**ctx, "c": collective, "form": form})


def _entry_url(entry: LogEntry) -> str:
    return _url("creation:entry", entry.collective.code, entry.code)


@guarded(load=entry_for_records)
def entry_view(request: ActorRequest, entry: LogEntry) -> HttpResponse:
    actor = request.actor
    collective = entry.collective
    return render(
        request,
        "creation/entry.html",
        {
            "c": collective,
            "e": entry,
            "files": list(entry.attachments.all()),
            "revisions": list(entry.revisions.select_related("edited_by")),
            "can_edit": can(actor, "creation.edit_records", collective),
            "attach_form": AttachForm(),
        },
    )


@guarded("creation.edit_records", load=entry_for_records, of="collective")
def entry_correct_view(request: ActorRequest, entry: LogEntry) -> HttpResponse:
    actor = request.actor
    collective = entry.collective
    initial = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_correct(
                actor, entry=entry, values=form.cleaned_data, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已更正，原内容保留在修订记录中。"))
            return redirect("creation:entry", code=collective.code, entry=entry.code)
    return render(request, "creation/entry_form.html", {"c": collective, "form": form, "e": entry})


@guarded("creation.edit_records", load=entry_for_records, of="collective", back=_entry_url)
@require_POST
def entry_attach_view(request: ActorRequest, entry: LogEntry) -> HttpResponse:
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        raise DomainError(" ".join(str(e) for errs in form.errors.values() for e in errs))
    services.entry_attach(request.actor, entry=entry, files=form.cleaned_data["attachments"])
    messages.success(request, _("佐证已追加。"))
    return redirect(_entry_url(entry))


# Plans ------------------------------------------------------------------------------------


def _plan(collective: Any, cycle: Any) -> CreationPlan | None:
    return CreationPlan.objects.filter(collective=collective, cycle=cycle).first()


@guarded(load=collective_for_records)
def plan_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    plan = _plan(collective, ctx["cycle"])
    versions = list(plan.versions.select_related("created_by")) if plan else []
    return render(
        request,
        "creation/plan.html",
        {
            **ctx,
            "c": collective,
            "plan": plan,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "can_edit": can(actor, "creation.edit_records", collective),
        },
    )


@guarded("creation.edit_records", load=collective_for_records)
def plan_edit_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    plan = _plan(collective, ctx["cycle"])
    latest = plan.versions.order_by("-number").first() if plan else None
    initial = (
        {n: getattr(latest, n) for n in PLAN_FIELDS} if latest else {"pledges": collective.pledges}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(
                actor,
                collective=collective,
                cycle=ctx["cycle"],
                values=form.cleaned_data,
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("创建计划已保存为新版本。"))
            return redirect(f"{_url('creation:plan', collective.code)}?cycle={ctx['cycle'].code}")
    return render(request, "creation/plan_form.html", {**ctx, "c": collective, "form": form})


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@guarded(load=collective_for_records)
def plan_compare_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    ctx = _cycle_context(request)
    plan = _plan(collective, ctx["cycle"])
    if plan is None:
        raise Http404

    def version(param: str, default: int) -> PlanVersion:
        number = as_int(request.GET.get(param)) or default
        return get_object_or_404(plan.versions.all(), number=number)

    b = version("b", plan.latest_number)
    a = version("a", max(1, b.number - 1))
    fields = []
    for name in PLAN_FIELDS:
        old, new = getattr(a, name).splitlines(), getattr(b, name).splitlines()
        lines = [(line[0], line[2:]) for line in difflib.ndiff(old, new) if line[:1] in "+- "]
        fields.append(
            {
                "label": getattr(PlanVersion._meta.get_field(name), "verbose_name", name),
                "lines": lines,
                "changed": old != new,
            }
        )
    return render(
        request,
        "creation/plan_compare.html",
        {
            **ctx,
            "c": collective,
            "a": a,
            "b": b,
            "fields": fields,
            "numbers": list(plan.versions.values_list("number", flat=True)),
        },
    )


# Ledger and dossier ------------------------------------------------------------------------


@guarded(load=collective_for_records)
def ledger_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    ctx = _cycle_context(request)
    return render(
        request,
        "creation/ledger.html",
        {**ctx, "c": collective, "ledger": build_ledger(collective, ctx["cycle"])},
    )


@guarded(load=collective_for_records)
def dossier_pdf_view(request: ActorRequest, collective: Collective) -> HttpResponseBase:
    actor = request.actor
    ctx = _cycle_context(request)
    return dossier_response(actor, collective, ctx["cycle"])


@guarded(load=collective_for_records)
def dossier_zip_view(request: ActorRequest, collective: Collective) -> FileResponse:
    ctx = _cycle_context(request)
    archive = dossier_zip(build_ledger(collective, ctx["cycle"]))
    return FileResponse(
        archive,
        as_attachment=True,
        filename=f"ledger-{collective.code}.zip",
        content_type="application/zip",
    )


# Compliance -----------------------------------------------------------------------------


@guarded(load=collective_for_records)
def collective_compliance_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    ctx = _cycle_context(request)
    return render(
        request,
        "creation/collective_compliance.html",
        {
            **ctx,
            "c": collective,
            "compliance": collective_compliance(collective, ctx["cycle"]),
        },
    )


def _collective_rows(request: HttpRequest, actor: Any, cycle: Any, body: Any = None) -> Any:
    page = _members_page(request, actor, cycle, body)
    return page, compliance_for(page.object_list, cycle)


@guarded("creation.view_compliance")
@replica_reads
def compliance_view(request: ActorRequest) -> HttpResponse:
    """City admins: one row per body. Body admins: their collectives."""
    actor = request.actor
    ctx = _cycle_context(request)
    if actor.is_city_admin:
        return render(
            request,
            "creation/compliance_city.html",
            {
                **ctx,
                "summaries": body_summaries(actor, ctx["cycle"]),
            },
        )
    page, rows = _collective_rows(request, actor, ctx["cycle"])
    return render(
        request,
        "creation/compliance_body.html",
        {
            **ctx,
            "page": page,
            "rows": rows,
            "qs": querystring_without_page(request),
            "body": None,
        },
    )


# Collective managers never use the body pages: refused (403) before the body is looked up.
@guarded("creation.view_compliance", load=body_for_duties, check_first=True)
@replica_reads
def body_compliance_view(request: ActorRequest, org: Organisation) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    page, rows = _collective_rows(request, actor, ctx["cycle"], org)
    return render(
        request,
        "creation/compliance_body.html",
        {
            **ctx,
            "page": page,
            "rows": rows,
            "qs": querystring_without_page(request),
            "body": org,
        },
    )


@guarded("creation.view_compliance")
def compliance_export_view(request: ActorRequest) -> HttpResponseBase:
    from qnwmh.creation.exports import compliance_export

    actor = request.actor
    ctx = _cycle_context(request)
    return compliance_export(actor, ctx["cycle"])


@guarded("creation.view_compliance")
@require_safe
def entries_view(request: ActorRequest) -> HttpResponse:
    """The log across the actor's collectives, filtered by cycle, month, body, kind and
    evidence: the list the dashboards' creation figures count and link to."""
    actor = request.actor
    filters = EntryFilters.from_query(request.GET)
    this_year = timezone.localdate().year
    # The months offered are those of the year asked for (or of the month's, else this one).
    year = filters.year or (filters.month.year if filters.month else this_year)
    years = sorted({*range(this_year, this_year - 6, -1), year}, reverse=True)
    page = paginate(request, entry_list(actor, filters))
    return render(
        request,
        "creation/entries.html",
        {
            "page": page,
            "filters": filters,
            "cycles": [(c.code, str(c)) for c in cycles_for_choice()],
            "years": [(y, y) for y in years],
            "months": month_choices(year),
            "bodies": filter_choices(actor, ("bodies",))["bodies"],
            "kinds": EntryKind.choices,
            "evidence": EVIDENCE_CHOICES,
            "qs": querystring_without_page(request),
        },
    )


# Duties (三个一) ---------------------------------------------------------------------------


@guarded("creation.view_compliance")
def duties_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    bodies = list(bodies_visible_to(actor).order_by("path"))
    return render(
        request,
        "creation/duties.html",
        {
            **ctx,
            "rows": duty_statuses(bodies, ctx["cycle"]),
        },
    )


@guarded(
    "creation.view_compliance",
    change="creation.manage_duties",
    load=body_for_duties,
    check_first=True,
)
def body_duties_view(request: ActorRequest, org: Organisation) -> HttpResponse:
    actor = request.actor
    ctx = _cycle_context(request)
    records = list(
        DutyRecord.objects.filter(body=org, cycle=ctx["cycle"])
        .select_related("duty", "qr_image")
        .prefetch_related("attachments")
    )
    can_manage = can(actor, "creation.manage_duties", org)
    form = DutyForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        assert form is not None  # the guard required creation.manage_duties for the POST
        if form.is_valid():
            try:
                services.duty_record_create(
                    actor,
                    body=org,
                    cycle=ctx["cycle"],
                    duty=form.cleaned_data["duty"],
                    values=form.values(),
                    files=form.cleaned_data["attachments"],
                    qr_file=form.cleaned_data.get("qr_file"),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("记录已保存。"))
                return redirect(
                    f"{_url('creation:body_duties', org.code)}?cycle={ctx['cycle'].code}"
                )
    return render(
        request,
        "creation/body_duties.html",
        {
            **ctx,
            "body": org,
            "records": records,
            "form": form,
            "statuses": duty_statuses([org], ctx["cycle"])[0][1],
        },
    )
