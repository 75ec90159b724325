"""Back-office pages of recognition: the rewards register (list, record, read, withdraw) and
typical-case stories (list, write, edit, submit; the city approves, returns, publishes and
withdraws). Every check is the services'; the pages offer only what the actor may do."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.collectives.models import Title
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query
from qnwmh.recognition import selectors as sel
from qnwmh.recognition import services
from qnwmh.recognition.exports import rewards_export, stories_export
from qnwmh.recognition.forms import (
    NewStoryForm,
    ReasonForm,
    RewardForm,
    StoryForm,
    collectives_for,
)
from qnwmh.recognition.models import (
    STORY_TRANSITIONS,
    Reward,
    RewardKind,
    RewardStatus,
    Story,
    StoryStatus,
)


def _reward_url(r: Reward) -> str:
    return reverse("recognition:reward", args=[r.code])


def _story_url(s: Story) -> str:
    return reverse("recognition:story", args=[s.code])


# Rewards ----------------------------------------------------------------------------------------


@guarded("recognition.view", check_first=True)
@require_safe
def rewards_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = sel.RewardFilters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return rewards_export(actor, filters)
    return render(
        request,
        "recognition/rewards.html",
        {
            "page": paginate(request, sel.reward_list(actor, filters)),
            "filters": filters,
            "kinds": RewardKind.choices,
            "statuses": RewardStatus.choices,
            "bodies": sel.filter_bodies(actor),
            "years": [(y, y) for y in sel.reward_years()],
            "qs": querystring_without_page(request),
            "can_record": can(actor, "recognition.record_reward", None),
        },
    )


def _preselected(request: ActorRequest) -> dict[str, Any]:
    """``?collective=<code>`` from a collective's page picks it in the form."""
    code = Query(request.GET).text("collective", max_length=12).upper()
    found = collectives_for(request.actor).filter(code=code).first() if code else None
    return {"collective": found} if found else {}


def _title(form: RewardForm) -> Title | None:
    code = (form.cleaned_data.get("title_code") or "").strip().upper()
    if not code:
        return None
    title = Title.objects.filter(code=code, collective=form.cleaned_data["collective"]).first()
    if title is None:
        raise DomainError(_("所选称号不属于该集体。"), field="title_code")
    return title


@guarded("recognition.record_reward")
def reward_new_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = RewardForm(actor, request.POST or None, initial=_preselected(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reward = services.reward_record(
                actor,
                collective=data["collective"],
                title=_title(form),
                kind=data["kind"],
                name=data["name"],
                basis=data["basis"],
                decision_number=data["decision_number"],
                decided_on=data["decided_on"],
                decided_by_org=data["decided_by_org"],
                amount=data["amount"],
                description=data["description"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("奖励已登记。"))
            return redirect(_reward_url(reward))
    return render(
        request, "recognition/reward_form.html", {"form": form}, status=400 if form.errors else 200
    )


@guarded("recognition.view", load=sel.reward_detail, check_first=True)
@require_safe
def reward_view(request: ActorRequest, reward: Reward) -> HttpResponse:
    return _reward_page(request, reward)


def _reward_page(
    request: ActorRequest, r: Reward, *, form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    withdrawable = r.status == RewardStatus.RECORDED and can(
        request.actor, "recognition.withdraw_reward", r
    )
    return render(
        request,
        "recognition/reward.html",
        {"r": r, "form": (form or ReasonForm()) if withdrawable else None},
        status=status,
    )


@guarded("recognition.withdraw_reward", load=sel.reward_detail, back=_reward_url)
@require_POST
def reward_withdraw_view(request: ActorRequest, reward: Reward) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        if not is_confirmed(request):
            return ask(
                request,
                _("撤销后该奖励不再计入登记，记录保留。确定撤销？"),
                back=_reward_url(reward),
            )
        try:
            services.reward_withdraw(request.actor, reward, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("奖励登记已撤销。"))
            return redirect(_reward_url(reward))
    return _reward_page(request, reward, form=form, status=400)


# Stories ----------------------------------------------------------------------------------------


@guarded("recognition.view", check_first=True)
@require_safe
def stories_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    filters = sel.StoryFilters.from_query(request.GET)
    if request.GET.get("format") == "xlsx":
        return stories_export(actor, filters)
    return render(
        request,
        "recognition/stories.html",
        {
            "page": paginate(request, sel.story_list(actor, filters)),
            "filters": filters,
            "statuses": StoryStatus.choices,
            "bodies": sel.filter_bodies(actor),
            "qs": querystring_without_page(request),
            "can_write": can(actor, "recognition.write_story", None),
        },
    )


@guarded("recognition.write_story")
def story_new_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = NewStoryForm(actor, request.POST or None, initial=_preselected(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.story_create(
                actor,
                collective=data["collective"],
                heading=data["heading"],
                summary=data["summary"],
                text=data["text"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("典型案例已保存为草稿，可继续修改后提交审核。"))
            return redirect(_story_url(story))
    return render(
        request,
        "recognition/story_form.html",
        {"form": form, "max_photos": services.MAX_PHOTOS},
        status=400 if form.errors else 200,
    )


@guarded("recognition.view", load=sel.story_detail, check_first=True)
@require_safe
def story_view(request: ActorRequest, story: Story) -> HttpResponse:
    return _story_page(request, story)


def _story_page(
    request: ActorRequest, s: Story, *, form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request.actor
    moves = {value for value, _label in STORY_TRANSITIONS.next_states(s)}
    writer = can(actor, "recognition.write_story", s.collective)
    decider = can(actor, "recognition.decide_story", s.collective)
    return render(
        request,
        "recognition/story.html",
        {
            "s": s,
            "photos": sel.story_photos(s),
            "can_edit": writer and s.editable,
            "can_submit": writer and StoryStatus.SUBMITTED in moves,
            "can_decide": decider and StoryStatus.APPROVED in moves,
            "can_publish": decider and StoryStatus.PUBLISHED in moves,
            "can_withdraw": decider and StoryStatus.WITHDRAWN in moves,
            "form": form or ReasonForm(),
        },
        status=status,
    )


@guarded("recognition.write_story", load=sel.story_detail, of="collective", back=_story_url)
def story_edit_view(request: ActorRequest, story: Story) -> HttpResponse:
    if not story.editable:
        raise DomainError(_("只有草稿或已退回的典型案例可以修改。"))
    initial = {"heading": story.heading, "summary": story.summary, "text": story.text}
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(
                request.actor,
                story,
                **form.cleaned_data,
                photos=request.FILES.getlist("photos"),
                remove_photos=request.POST.getlist("remove"),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("典型案例已保存。"))
            return redirect(_story_url(story))
    return render(
        request,
        "recognition/story_form.html",
        {
            "form": form,
            "s": story,
            "photos": sel.story_photos(story),
            "max_photos": services.MAX_PHOTOS,
        },
        status=400 if form.errors else 200,
    )


@guarded("recognition.write_story", load=sel.story_detail, of="collective", back=_story_url)
@require_POST
def story_submit_view(request: ActorRequest, story: Story) -> HttpResponse:
    services.story_submit(request.actor, story)
    messages.success(request, _("典型案例已提交市级审核。"))
    return redirect(_story_url(story))


@guarded("recognition.decide_story", load=sel.story_detail, of="collective", back=_story_url)
@require_POST
def story_approve_view(request: ActorRequest, story: Story) -> HttpResponse:
    services.story_approve(request.actor, story)
    messages.success(request, _("典型案例已审核通过，可以发布。"))
    return redirect(_story_url(story))


@guarded("recognition.decide_story", load=sel.story_detail, of="collective", back=_story_url)
@require_POST
def story_return_view(request: ActorRequest, story: Story) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.story_return(request.actor, story, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("典型案例已退回修改。"))
            return redirect(_story_url(story))
    return _story_page(request, story, form=form, status=400)


@guarded("recognition.decide_story", load=sel.story_detail, of="collective", back=_story_url)
@require_POST
def story_publish_view(request: ActorRequest, story: Story) -> HttpResponse:
    # No confirmation step: publishing is undone by withdrawing, and both are audited.
    services.story_publish(request.actor, story)
    messages.success(request, _("典型案例已在网站发布。"))
    return redirect(_story_url(story))


@guarded("recognition.decide_story", load=sel.story_detail, of="collective", back=_story_url)
@require_POST
def story_withdraw_view(request: ActorRequest, story: Story) -> HttpResponse:
    form = ReasonForm(request.POST)
    if form.is_valid():
        if not is_confirmed(request):
            return ask(
                request,
                _("撤回后公众将看不到该典型案例，可再次发布。确定撤回？"),
                back=_story_url(story),
            )
        try:
            services.story_withdraw(request.actor, story, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("典型案例已从网站撤回。"))
            return redirect(_story_url(story))
    return _story_page(request, story, form=form, status=400)
