"""Pages of the quantified standard: the versions by year, one version (items by source with
totals, marks, the reviews using it), creating a version, editing a draft's header and items,
a new version from an existing one, and its Excel file. City staff edit; the bodies read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.permissions import can
from qnwmh.oversight.exports.standard import standard_xlsx
from qnwmh.oversight.forms.standard import (
    ItemForm,
    MoveForm,
    NewVersionForm,
    StandardCreateForm,
    StandardHeaderForm,
)
from qnwmh.oversight.models import Standard, StandardItem
from qnwmh.oversight.selectors.standard import (
    items_by_source,
    reviews_using,
    standard_detail,
    standards_by_year,
)
from qnwmh.oversight.services import standard as services


def _url(s: Standard) -> str:
    return reverse("oversight:standard", args=[s.code])


def _edit_url(s: Standard) -> str:
    return reverse("oversight:standard_edit", args=[s.code])


def standard_item(actor: Any, code: str, item: int) -> StandardItem:
    s = standard_detail(actor, code)
    found = get_object_or_404(StandardItem.objects.filter(standard=s), pk=item)
    found.standard = s
    return found


def _item_back(item: StandardItem) -> str:
    return _edit_url(item.standard)


@guarded("oversight.view")
@require_safe
def standards_view(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "oversight/standard/list.html",
        {
            "years": standards_by_year(request.actor),
            "can_manage": can(request.actor, "oversight.manage"),
        },
    )


@guarded("oversight.manage")
def standard_create_view(request: ActorRequest) -> HttpResponse:
    form = StandardCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.create(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已建立 %(y)s 年度第 %(v)s 版标准。") % {"y": s.year, "v": s.version}
            )
            return redirect(_edit_url(s))
    return render(request, "oversight/standard/create.html", {"form": form})


@guarded("oversight.view", load=standard_detail)
@require_safe
def standard_view(request: ActorRequest, s: Standard) -> HttpResponse:
    groups = items_by_source(s)
    manage = can(request.actor, "oversight.manage")
    return render(
        request,
        "oversight/standard/detail.html",
        {
            "s": s,
            "groups": groups,
            "total": sum(g.points for g in groups),
            "reviews": reviews_using(s),
            "can_manage": manage,
            "version_form": NewVersionForm(initial={"year": s.year}) if manage else None,
            "history": [(e, action_label(e.code)) for e in history_of(s)],
        },
    )


@guarded("oversight.view", load=standard_detail)
@require_safe
def standard_export_view(request: ActorRequest, s: Standard) -> HttpResponseBase:
    return standard_xlsx(request.actor, s)


@guarded("oversight.manage", load=standard_detail, back=_url)
@require_POST
def standard_copy_view(request: ActorRequest, s: Standard) -> HttpResponse:
    """A new version based on this one (for its year or another)."""
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写正确的年度。"))
    new = services.create(
        request.actor, year=form.cleaned_data["year"], name=form.cleaned_data["name"], based_on=s
    )
    messages.success(
        request, _("已建立 %(y)s 年度第 %(v)s 版标准。") % {"y": new.year, "v": new.version}
    )
    return redirect(_edit_url(new))


def _edit_context(s: Standard, header: StandardHeaderForm, item: ItemForm) -> dict[str, Any]:
    items = list(s.items.order_by("position"))
    return {
        "s": s,
        "header_form": header,
        "item_form": item,
        "items": items,
        "total": sum(i.points for i in items),
    }


def _header_initial(s: Standard) -> dict[str, Any]:
    return {k: getattr(s, k) for k in services.HEADER_FIELDS}


@guarded("oversight.manage", load=standard_detail)
def standard_edit_view(request: ActorRequest, s: Standard) -> HttpResponse:
    """The draft's header and marks (POST here) and its items (each item's own forms)."""
    if s.frozen:
        messages.error(request, _("该标准已被年度复核使用并冻结，不能修改。"))
        return redirect(_url(s))
    header = StandardHeaderForm(request.POST or None, initial=_header_initial(s))
    if request.method == "POST" and header.is_valid():
        try:
            services.update(request.actor, s, **header.cleaned_data)
        except DomainError as exc:
            add_domain_error(header, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_edit_url(s))
    return render(request, "oversight/standard/edit.html", _edit_context(s, header, ItemForm()))


@guarded("oversight.manage", load=standard_detail, back=_edit_url)
@require_POST
def item_add_view(request: ActorRequest, s: Standard) -> HttpResponse:
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(request.actor, s, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加考核项目。"))
            return redirect(_edit_url(s))
    header = StandardHeaderForm(initial=_header_initial(s))
    return render(
        request, "oversight/standard/edit.html", _edit_context(s, header, form), status=400
    )


@guarded("oversight.manage", load=standard_item, back=_item_back)
def item_edit_view(request: ActorRequest, item: StandardItem) -> HttpResponse:
    s = item.standard
    initial = {k: getattr(item, k) for k in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.actor, item, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_edit_url(s))
    return render(request, "oversight/standard/item.html", {"s": s, "item": item, "form": form})


@guarded("oversight.manage", load=standard_item, back=_item_back)
@require_POST
def item_move_view(request: ActorRequest, item: StandardItem) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写要移到的位置。"))
    services.move_item(request.actor, item, to=form.cleaned_data["to"])
    return redirect(_edit_url(item.standard))


@guarded("oversight.manage", load=standard_item, back=_item_back)
@require_POST
def item_remove_view(request: ActorRequest, item: StandardItem) -> HttpResponse:
    if not is_confirmed(request):
        return ask(
            request,
            _("删除考核项目“%(label)s”？") % {"label": item.label},
            back=_edit_url(item.standard),
        )
    services.remove_item(request.actor, item)
    messages.success(request, _("已删除考核项目。"))
    return redirect(_edit_url(item.standard))
