from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qnwmh.audit.exports import wants_xlsx
from qnwmh.collectives import exports, services
from qnwmh.collectives.eligibility import check_eligibility, reference_date
from qnwmh.collectives.forms import (
    PERSONAL_FIELDS,
    CollectiveForm,
    MemberForm,
    ReasonForm,
    StarsForm,
    TitleAwardForm,
    TitleEndForm,
)
from qnwmh.collectives.models import Collective, Level, TitleStatus
from qnwmh.collectives.selectors import (
    CollectiveFilters,
    collective_detail,
    collective_list,
    filter_choices,
    holds_higher_title,
)
from qnwmh.core.actions import attempt
from qnwmh.core.actor import actor_of
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.masking import shown_birth, shown_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can, require
from qnwmh.programme.models import ProgrammeRules


@login_required
def collective_list_view(request: HttpRequest) -> HttpResponseBase:
    actor = actor_of(request)
    require(actor, "collectives.view_list")
    filters = CollectiveFilters.from_query(request.GET)
    if wants_xlsx(request):
        return exports.collectives_export(actor, filters)
    page = paginate(request, collective_list(actor, filters))
    context = {
        "page": page,
        "filters": filters,
        "qs": querystring_without_page(request),
        **filter_choices(actor),
        "levels": Level.choices,
        "can_create": can(actor, "collectives.create"),
        "can_import": can(actor, "collectives.import"),
    }
    template = "collectives/_list_table.html" if request.htmx else "collectives/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def members_export_view(request: HttpRequest) -> HttpResponseBase:
    """The current rosters of the collectives the list shows (same filters, same scope)."""
    actor = actor_of(request)
    require(actor, "collectives.view_list")
    return exports.members_export(actor, CollectiveFilters.from_query(request.GET))


def _roster_rows(actor: Any, collective: Collective, members: list[Any]) -> list[dict[str, Any]]:
    full = can(actor, "collectives.view_personal_data", collective)
    # One reverse() for the whole roster: a 200-member roster would otherwise resolve 400 URLs.
    base = reverse("collectives:member_add", args=[collective.code]).removesuffix("new/")
    return [
        {
            "m": m,
            "phone": shown_phone(m.phone, full),
            "birth": str(shown_birth(m.birth_date, full)),
            "edit_url": f"{base}{m.pk}/edit/",
            "remove_url": f"{base}{m.pk}/remove/",
        }
        for m in members
    ]


def _eligibility_context(collective: Collective, members: list[Any]) -> dict[str, Any]:
    rules = ProgrammeRules.current()
    return {"eligibility": check_eligibility(members, rules, reference_date(rules))}


@login_required
def collective_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    members = list(collective.members.current())
    titles = list(collective.titles.all())
    return render(
        request,
        "collectives/detail.html",
        {
            "c": collective,
            "roster": _roster_rows(actor, collective, members),
            "titles": titles,
            "auto_retained": holds_higher_title(titles),
            "can_edit": can(actor, "collectives.edit", collective),
            "can_edit_roster": can(actor, "collectives.edit_roster", collective),
            "can_manage_titles": can(actor, "collectives.manage_titles", collective),
            "can_archive": can(actor, "collectives.archive", collective),
            "award_form": TitleAwardForm(),
            **_eligibility_context(collective, members),
        },
    )


@login_required
def collective_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, "collectives.create")
    form = CollectiveForm(actor, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, False)}
        try:
            collective = services.collective_create(actor, values=values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("集体已创建，请继续录入成员名单。"))
            return redirect("collectives:detail", code=collective.code)
    return render(request, "collectives/form.html", {"form": form})


@login_required
def collective_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit", collective)
    form = CollectiveForm(actor, request.POST or None, request.FILES or None, instance=collective)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if values.get("photo") is False:
            values["photo"] = ""
        try:
            services.collective_update(actor, collective=collective, values=values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("collectives:detail", code=collective.code)
    return render(request, "collectives/form.html", {"form": form, "c": collective})


@login_required
@require_POST
def collective_archive_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写归档原因。"))
        services.collective_archive(
            actor, collective=collective, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("集体已归档。"))
    return redirect("collectives:detail", code=collective.code)


def _roster_response(request: HttpRequest, collective: Collective) -> HttpResponse:
    """After a roster change, htmx swaps the roster and eligibility panel in place."""
    if request.htmx:  # type: ignore[attr-defined]
        actor = actor_of(request)
        members = list(collective.members.current())
        return render(
            request,
            "collectives/_roster_and_eligibility.html",
            {
                "c": collective,
                "roster": _roster_rows(actor, collective, members),
                "can_edit_roster": True,
                **_eligibility_context(collective, members),
            },
        )
    return redirect("collectives:detail", code=collective.code)


@login_required
def member_add_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit_roster", collective)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor, collective=collective, values=form.cleaned_data)
        except DomainError as exc:
            if exc.code != "duplicate_member":
                add_domain_error(form, exc)
            else:
                # A double submit: the first request added the person; say so, add nothing.
                messages.info(request, str(exc))
                return redirect("collectives:detail", code=collective.code)
        else:
            messages.success(request, _("成员已添加。"))
            return redirect("collectives:detail", code=collective.code)
    return render(request, "collectives/member_form.html", {"form": form, "c": collective})


def _member(collective: Collective, member_id: int) -> Any:
    return get_object_or_404(collective.members.current(), pk=member_id)


@login_required
def member_edit_view(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit_roster", collective)
    member = _member(collective, member_id)
    form = MemberForm(request.POST or None, instance=member)
    if not can(actor, "collectives.view_personal_data", collective):
        # Those who see the phone masked and the age as a band may change the rest only.
        for name in PERSONAL_FIELDS:
            del form.fields[name]
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.member_update(actor, member=member, values=values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("成员信息已保存。"))
            return redirect("collectives:detail", code=collective.code)
    return render(
        request, "collectives/member_form.html", {"form": form, "c": collective, "member": member}
    )


@login_required
@require_POST
def member_remove_view(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.edit_roster", collective)
    member = _member(collective, member_id)
    try:
        services.member_remove(actor, member=member)
    except DomainError as exc:
        messages.error(request, str(exc))
    return _roster_response(request, collective)


@login_required
@require_POST
def title_award_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    form = TitleAwardForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.title_award(actor, collective=collective, **form.cleaned_data),
            _("称号已登记。"),
        )
    else:
        messages.error(request, _("称号信息不完整或有误，请检查后重试。"))
    return redirect("collectives:detail", code=collective.code)


def _title(collective: Collective, title_code: str) -> Any:
    return get_object_or_404(collective.titles.all(), code=title_code)


@login_required
@require_POST
def title_end_view(request: HttpRequest, code: str, title_code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = _title(collective, title_code)
    form = TitleEndForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请选择终止方式并填写原因。"))
        end = (
            services.title_revoke
            if form.cleaned_data["outcome"] == TitleStatus.REVOKED
            else services.title_expire
        )
        end(actor, title=title, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("称号状态已更新。"))
    return redirect("collectives:detail", code=collective.code)


@login_required
@require_POST
def title_stars_view(request: HttpRequest, code: str, title_code: str) -> HttpResponse:
    actor = actor_of(request)
    collective = collective_detail(actor, code)
    require(actor, "collectives.manage_titles", collective)
    title = _title(collective, title_code)
    form = StarsForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("星级须在 0 到 3 之间，并填写原因。"))
        services.title_set_stars(actor, title=title, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("星级已调整。"))
    return redirect("collectives:detail", code=collective.code)
