from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
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
from qnwmh.collectives.models import Collective, Level, Member, Title, TitleStatus
from qnwmh.collectives.selectors import (
    LIST_FACETS,
    CollectiveFilters,
    collective_detail,
    collective_ids,
    collective_page,
    collectives_in_order,
    filter_choices,
    holds_higher_title,
    member_detail,
    star_choices,
    title_detail,
)
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.labels import choice_label
from qnwmh.core.masking import shown_birth, shown_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.panels import OFFICE_COLLECTIVE, OFFICE_COLLECTIVE_HISTORY, panels
from qnwmh.core.permissions import can
from qnwmh.programme.models import ProgrammeRules


def _detail_url(collective: Collective) -> str:
    return reverse("collectives:detail", args=[collective.code])


def _title_back(title: Title) -> str:
    return _detail_url(title.collective)


@guarded("collectives.view_list")
def collective_list_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = CollectiveFilters.from_query(request.GET)
    if wants_xlsx(request):
        return exports.collectives_export(actor, filters)
    page = paginate(request, collective_ids(actor, filters))
    page.object_list = collectives_in_order(list(page.object_list))
    context = {
        "page": page,
        "filters": filters,
        "qs": querystring_without_page(request),
        **filter_choices(actor, LIST_FACETS),
        "levels": Level.choices,
        "star_choices": star_choices(),
        "can_create": can(actor, "collectives.create"),
        "can_import": can(actor, "collectives.import"),
    }
    template = "collectives/_list_table.html" if request.htmx else "collectives/list.html"
    return render(request, template, context)


@guarded("collectives.view_list")
def members_export_view(request: ActorRequest) -> HttpResponseBase:
    """The current rosters of the collectives the list shows (same filters, same scope)."""
    return exports.members_export(request.actor, CollectiveFilters.from_query(request.GET))


def _roster_rows(actor: Any, collective: Collective, members: list[Any]) -> list[dict[str, Any]]:
    full = can(actor, "collectives.view_personal_data", collective)
    # One reverse() for the whole roster: a 200-member roster would otherwise resolve 400 URLs.
    base = reverse("collectives:member_add", args=[collective.code]).removesuffix("new/")
    # Plain values, one lookup each in the template: a long roster's rows are most of the
    # page's rendering.
    return [
        {
            "name": m.name,
            "is_leader": m.is_leader,
            "nationality": choice_label(m, "nationality"),
            "post": m.post,
            "phone": shown_phone(m.phone, full),
            "birth": str(shown_birth(m.birth_date, full)),
            "edit_url": f"{base}{m.pk}/edit/",
            "remove_url": f"{base}{m.pk}/remove/",
        }
        for m in members
    ]


@cache
def _blank_award_form(language: str) -> str:
    """The empty title form renders the same for every collective and clerk of a language
    (no data, no initial that moves, no token inside): rendered once per process."""
    return TitleAwardForm().render()


def _eligibility_context(collective: Collective, members: list[Any]) -> dict[str, Any]:
    rules = ProgrammeRules.current()
    return {"eligibility": check_eligibility(members, rules, reference_date(rules))}


@guarded(load=collective_page)
def collective_detail_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
    can_manage_titles = can(actor, "collectives.manage_titles", collective)
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
            "can_manage_titles": can_manage_titles,
            "can_archive": can(actor, "collectives.archive", collective),
            "award_form": _blank_award_form(get_language()) if can_manage_titles else "",
            "panels": panels(OFFICE_COLLECTIVE, actor, collective),
            "history_panels": panels(OFFICE_COLLECTIVE_HISTORY, actor, collective),
            **_eligibility_context(collective, members),
        },
    )


@guarded("collectives.create")
def collective_create_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
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


@guarded("collectives.edit", load=collective_detail)
def collective_edit_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    actor = request.actor
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


@guarded("collectives.archive", load=collective_detail, back=_detail_url)
@require_POST
def collective_archive_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请填写归档原因。"))
    services.collective_archive(
        request.actor, collective=collective, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("集体已归档。"))
    return redirect("collectives:detail", code=collective.code)


def _roster_response(request: ActorRequest, collective: Collective) -> HttpResponse:
    """After a roster change, htmx swaps the roster and eligibility panel in place."""
    if request.htmx:
        members = list(collective.members.current())
        return render(
            request,
            "collectives/_roster_and_eligibility.html",
            {
                "c": collective,
                "roster": _roster_rows(request.actor, collective, members),
                "can_edit_roster": True,
                **_eligibility_context(collective, members),
            },
        )
    return redirect("collectives:detail", code=collective.code)


@guarded("collectives.edit_roster", load=collective_detail)
def member_add_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(request.actor, collective=collective, values=form.cleaned_data)
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


@guarded("collectives.edit_roster", load=member_detail, of="collective")
def member_edit_view(request: ActorRequest, member: Member) -> HttpResponse:
    actor = request.actor
    collective = member.collective
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


@guarded("collectives.edit_roster", load=member_detail, of="collective")
@require_POST
def member_remove_view(request: ActorRequest, member: Member) -> HttpResponse:
    try:
        services.member_remove(request.actor, member=member)
    except DomainError as exc:
        messages.error(request, str(exc))
    return _roster_response(request, member.collective)


@guarded("collectives.manage_titles", load=collective_detail, back=_detail_url)
@require_POST
def title_award_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    form = TitleAwardForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("称号信息不完整或有误，请检查后重试。"))
    services.title_award(request.actor, collective=collective, **form.cleaned_data)
    messages.success(request, _("称号已登记。"))
    return redirect("collectives:detail", code=collective.code)


@guarded("collectives.manage_titles", load=title_detail, of="collective", back=_title_back)
@require_POST
def title_end_view(request: ActorRequest, title: Title) -> HttpResponse:
    form = TitleEndForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请选择终止方式并填写原因。"))
    end = (
        services.title_revoke
        if form.cleaned_data["outcome"] == TitleStatus.REVOKED
        else services.title_expire
    )
    end(request.actor, title=title, reason=form.cleaned_data["reason"])
    messages.success(request, _("称号状态已更新。"))
    return redirect("collectives:detail", code=title.collective.code)


@guarded("collectives.manage_titles", load=title_detail, of="collective", back=_title_back)
@require_POST
def title_stars_view(request: ActorRequest, title: Title) -> HttpResponse:
    form = StarsForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("星级须在 0 到 3 之间，并填写原因。"))
    services.title_set_stars(request.actor, title=title, **form.cleaned_data)
    messages.success(request, _("星级已调整。"))
    return redirect("collectives:detail", code=title.collective.code)
