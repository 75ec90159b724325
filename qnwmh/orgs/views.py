from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.permissions import require
from qnwmh.orgs import services
from qnwmh.orgs.forms import OrganisationForm, SectorForm, TownForm
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import organisations_visible_to


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "orgs.view")
    orgs = organisations_visible_to(actor).annotate(n_collectives=Count("collectives"))
    return render(request, "orgs/organisation_list.html", {"orgs": orgs})


@login_required
def organisation_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "orgs.manage")
    org = get_object_or_404(organisations_visible_to(actor), code=code) if code else None
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


@login_required
def reference_list(request: HttpRequest) -> HttpResponse:
    require(request.actor, "orgs.view")  # type: ignore[attr-defined]
    return render(
        request,
        "orgs/reference_list.html",
        {"towns": Town.objects.all(), "sectors": Sector.objects.all()},
    )


def _reference_edit(
    request: HttpRequest, model: Any, form_class: Any, pk: int | None
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "orgs.manage")
    obj = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        target = obj or model()
        for name, value in form.cleaned_data.items():
            setattr(target, name, value)
        try:
            services.reference_save(actor, item=target)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:reference")
    return render(
        request, "orgs/form.html", {"form": form, "title": str(obj) if obj else _("新增")}
    )


@login_required
def town_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_edit(request, Town, TownForm, pk)


@login_required
def sector_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _reference_edit(request, Sector, SectorForm, pk)


def floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for benchmarks: the full middleware stack and one indexed query."""
    org = Organisation.objects.filter(kind=Organisation.Kind.CITY).values("code").first()
    return JsonResponse({"ok": True, "city": org["code"] if org else None})
