from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.orgs import services
from qnwmh.orgs.forms import OrganisationForm, SectorForm, TownForm
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import (
    organisation_detail,
    organisations_visible_to,
    sector_detail,
    town_detail,
)


@guarded("orgs.view")
def organisation_list(request: ActorRequest) -> HttpResponse:
    orgs = organisations_visible_to(request.actor).annotate(n_collectives=Count("collectives"))
    return render(request, "orgs/organisation_list.html", {"orgs": orgs})


@guarded("orgs.manage")
def organisation_create(request: ActorRequest) -> HttpResponse:
    return _organisation_form(request, None)


@guarded("orgs.manage", load=organisation_detail, check_first=True)
def organisation_edit(request: ActorRequest, org: Organisation) -> HttpResponse:
    return _organisation_form(request, org)


def _organisation_form(request: ActorRequest, org: Organisation | None) -> HttpResponse:
    actor = request.actor
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            if org is None:
                city = Organisation.objects.get(kind=Organisation.Kind.CITY)
                new = Organisation(kind=Organisation.Kind.BODY, parent=city, **form.cleaned_data)
                org = services.organisation_create(actor, org=new)
            else:
                services.organisation_update(
                    actor, org=org, fields={n: form.cleaned_data[n] for n in form.changed_data}
                )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:list")
    return render(
        request,
        "orgs/form.html",
        {"form": form, "title": org.name if org else _("新建组织管理机构")},
    )


@guarded("orgs.view")
def reference_list(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "orgs/reference_list.html",
        {"towns": Town.objects.all(), "sectors": Sector.objects.all()},
    )


def _reference_edit(
    request: ActorRequest, model: Any, form_class: Any, obj: Town | Sector | None
) -> HttpResponse:
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        target = obj or model()
        for name, value in form.cleaned_data.items():
            setattr(target, name, value)
        try:
            services.reference_save(request.actor, item=target)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:reference")
    return render(
        request, "orgs/form.html", {"form": form, "title": str(obj) if obj else _("新增")}
    )


@guarded("orgs.manage")
def town_create(request: ActorRequest) -> HttpResponse:
    return _reference_edit(request, Town, TownForm, None)


@guarded("orgs.manage", load=town_detail, check_first=True)
def town_edit(request: ActorRequest, town: Town) -> HttpResponse:
    return _reference_edit(request, Town, TownForm, town)


@guarded("orgs.manage")
def sector_create(request: ActorRequest) -> HttpResponse:
    return _reference_edit(request, Sector, SectorForm, None)


@guarded("orgs.manage", load=sector_detail, check_first=True)
def sector_edit(request: ActorRequest, sector: Sector) -> HttpResponse:
    return _reference_edit(request, Sector, SectorForm, sector)


@guarded(public=True)
def floor(request: ActorRequest) -> HttpResponse:
    """The framework floor for benchmarks: the full middleware stack and one indexed query."""
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY).values("code").first()
    return JsonResponse({"ok": True, "city": org["code"] if org else None})
