"""Pages of exits (退出): the list (filters year, kind, body; a body sees its subtree's), one
exit with its plaque's recovery, recording a dissolution or merger, the Excel file; and the
public revocation notice (no account): the years, and one year's revoked titles."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.collectives.models import Title, TitleStatus
from qnwmh.collectives.selectors import filter_choices
from qnwmh.core.codes import normalise_code
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query
from qnwmh.oversight.exports.standard import exits_xlsx
from qnwmh.oversight.forms.standard import ExitForm, PlaqueForm
from qnwmh.oversight.models import Exit, ExitKind
from qnwmh.oversight.selectors.exits import (
    ExitFilters,
    exit_detail,
    exit_list,
    exit_years,
    published_category,
    revocation_years,
    revocations_of,
)
from qnwmh.oversight.selectors.standing import standing_of
from qnwmh.oversight.services import exits_plaque as services


def _url(e: Exit) -> str:
    return reverse("oversight:exit", args=[e.code])


@guarded("oversight.view")
@require_safe
def exits_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    filters = ExitFilters.from_query(request.GET)
    return render(
        request,
        "oversight/exits/list.html",
        {
            "page": paginate(request, exit_list(actor, filters)),
            "qs": querystring_without_page(request),
            "filters": filters,
            "years": [(y, y) for y in exit_years(actor)],
            "kinds": ExitKind.choices,
            "bodies": filter_choices(actor, ("bodies",))["bodies"],
            "can_record": can(actor, "oversight.manage"),
        },
    )


@guarded("oversight.view")
@require_safe
def exits_export_view(request: ActorRequest) -> HttpResponseBase:
    filters = ExitFilters.from_query(request.GET)
    return exits_xlsx(request.actor, exit_list(request.actor, filters), filters.as_dict())


@guarded("oversight.view", load=exit_detail)
@require_safe
def exit_view(request: ActorRequest, e: Exit) -> HttpResponse:
    manage = can(request.actor, "oversight.record_exit", e.collective)
    initial = (
        {"on": e.plaque_recovered_on, "note": e.plaque_note} if e.plaque_recovered_on else None
    )
    return render(
        request,
        "oversight/exits/detail.html",
        {
            "e": e,
            "category": published_category(e) if e.revoking else "",
            "plaque_form": PlaqueForm(initial=initial) if manage else None,
            "history": [(x, action_label(x.code)) for x in history_of(e)],
        },
    )


@guarded("oversight.record_exit", load=exit_detail, of="collective", back=_url)
@require_POST
def plaque_view(request: ActorRequest, e: Exit) -> HttpResponse:
    form = PlaqueForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写牌匾收回日期。"))
    services.record_plaque(
        request.actor, e, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
    )
    messages.success(request, _("已登记牌匾收回。"))
    return redirect(_url(e))


@guarded("oversight.manage")
def exit_record_view(request: ActorRequest) -> HttpResponse:
    """Record a dissolution or a merger for an active title, named by its code (prefilled from
    ``?title=``)."""
    code = Query(request.GET).text("title", max_length=12)
    form = ExitForm(request.POST or None, initial={"title": code} if code else None)
    title = _title(code) if code and request.method != "POST" else None
    if request.method == "POST" and form.is_valid():
        title = _title(form.cleaned_data["title"])
        if title is None:
            form.add_error("title", _("没有找到这个编号的有效称号。"))
        else:
            try:
                e = services.record_exit(
                    request.actor,
                    title=title,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("已登记称号退出。"))
                return redirect(_url(e))
    return render(
        request,
        "oversight/exits/record.html",
        {"form": form, "title": title, "standing": standing_of(title) if title else None},
    )


def _title(code: str) -> Title | None:
    return (
        Title.objects.filter(status=TitleStatus.ACTIVE, code=normalise_code(code))
        .select_related("collective", "collective__body")
        .first()
    )


# Public revocation notice -------------------------------------------------------------------


@guarded(public=True)
@require_safe
def revocation_years_view(request: ActorRequest) -> HttpResponse:
    return render(request, "oversight/public/revocation_years.html", {"years": revocation_years()})


@guarded(public=True)
@require_safe
def revocations_view(request: ActorRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404
    rows = revocations_of(year)
    return render(
        request,
        "oversight/public/revocations.html",
        {"year": year, "rows": rows, "years": revocation_years()},
    )
