"""Back-office pages of consultations: the list, drafting, one consultation (the city runs it,
a body's admin reads it — which marks their body's row opened — and replies), the reply form,
the drafting team's summary with dispositions and its Excel and PDF, and publishing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.labels import action_label
from qnwmh.audit.selectors import history_of
from qnwmh.consultation import services
from qnwmh.consultation.exports import masked_contact, status_rows, summary_pdf, summary_xlsx, who
from qnwmh.consultation.forms import (
    ConsultationForm,
    DisposeForm,
    EditForm,
    OpenForm,
    PublishForm,
    ReplyForm,
)
from qnwmh.consultation.models import (
    CONSULTATION_TRANSITIONS,
    REPLIED,
    Comment,
    Consultation,
    Respondent,
    RespondentStatus,
    Status,
)
from qnwmh.consultation.selectors import (
    comment_detail,
    consultation_detail,
    consultation_list,
    own_comments,
    own_comments_of,
    respondent_detail,
    respondents_for,
    sections_of,
    summary,
)
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.core.querystring import Query


def _url(c: Consultation) -> str:
    return reverse("consultation:detail", args=[c.code])


def _summary_url(c: Consultation) -> str:
    return reverse("consultation:summary", args=[c.code])


def _reply_url(r: Respondent) -> str:
    return reverse("consultation:reply", args=[r.consultation.code, r.organisation.code])


def _comment_back(comment: Comment) -> str:
    return _summary_url(comment.consultation)


@guarded("consultation.view")
@require_safe
def list_view(request: ActorRequest) -> HttpResponse:
    status = Query(request.GET).choice("status", Status.values)
    page = paginate(request, consultation_list(request.actor, status=status))
    return render(
        request,
        "consultation/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "qs": querystring_without_page(request),
            "can_manage": can(request.actor, "consultation.manage"),
        },
    )


@guarded("consultation.manage")
def create_view(request: ActorRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            c = services.create(
                request.actor,
                title=data["title"],
                text=data["text"],
                deadline=data["deadline"],
                note=data["note"],
                allow_public=data["allow_public"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已起草，共分 %(n)s 节。请核对后发出。") % {"n": c.sections.count()}
            )
            return redirect(_url(c))
    return render(request, "consultation/create.html", {"form": form})


@guarded("consultation.view", load=consultation_detail)
@require_safe
def detail_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    # The rows of the bodies the actor answers for (not those of the bodies below them).
    mine = respondents_for(request.actor, c) if request.actor.is_body_admin else []
    comments = own_comments_of(mine)
    for r in mine:
        # Reading the draft is what "opened" means on the roster (a row opened already costs
        # nothing: no savepoint per row).
        if c.status == Status.OPEN and r.status == RespondentStatus.NOT_OPENED:
            services.mark_opened(request.actor, respondent=r)
        r.consultation = c
        r.own = comments[r.pk]  # type: ignore[attr-defined]
    manage = can(request.actor, "consultation.manage")
    context: dict[str, Any] = {
        "c": c,
        "sections": sections_of(c),
        "mine": mine,
        "can_manage": manage,
        "replied": REPLIED,
        "next_states": [v for v, _label in CONSULTATION_TRANSITIONS.next_states(c)],
    }
    if manage:
        s = summary(c)
        context.update(
            {
                "roster": s.respondents,
                "counts": status_rows(s),
                "comment_count": s.comment_count,
                "history": [(e, action_label(e.code)) for e in history_of(c)],
            }
        )
    return render(request, "consultation/detail.html", context)


def _action(request: ActorRequest, c: Consultation, question: str) -> HttpResponse | None:
    if not is_confirmed(request):
        return ask(request, question, back=_url(c))
    return None


@guarded("consultation.manage", load=consultation_detail)
def open_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    """Choose the roster (every active body ticked) and send the draft."""
    form = OpenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_consultation(
                request.actor, consultation=c, bodies=form.cleaned_data["bodies"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已发出征求意见。"))
            return redirect(_url(c))
    return render(request, "consultation/open.html", {"c": c, "form": form})


@guarded("consultation.manage", load=consultation_detail)
def edit_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    """Title, note, deadline (extended while open) and public comments, until it closes."""
    initial = {k: getattr(c, k) for k in ("title", "deadline", "note", "allow_public")}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update(request.actor, consultation=c, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(_url(c))
    return render(request, "consultation/edit.html", {"c": c, "form": form})


@guarded("consultation.manage", load=consultation_detail, back=_url)
@require_POST
def close_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    if asked := _action(request, c, _("截止后不再接受意见。确定截止？")):
        return asked
    services.close(request.actor, consultation=c)
    messages.success(request, _("已截止征求意见。"))
    return redirect(_url(c))


@guarded("consultation.manage", load=consultation_detail, back=_url)
@require_POST
def remind_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    n = services.remind(request.actor, consultation=c)
    messages.success(request, _("已提醒 %(n)s 个未回复的单位。") % {"n": n})
    return redirect(_url(c))


@guarded("consultation.reply", load=respondent_detail)
def reply_view(request: ActorRequest, r: Respondent) -> HttpResponse:
    c = r.consultation
    sections = sections_of(c)
    form = ReplyForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.reply(
                request.actor,
                respondent=r,
                comments=form.comments(),
                rest_no_comment=form.cleaned_data["rest_no_comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if made:
                messages.success(request, _("已提交 %(n)s 条意见。") % {"n": len(made)})
            else:
                messages.success(request, _("已回复无意见。"))
            return redirect(_url(c))
    elif request.method != "POST" and c.status == Status.OPEN:
        services.mark_opened(request.actor, respondent=r)
    return render(
        request,
        "consultation/reply.html",
        {"c": c, "r": r, "form": form, "own": list(own_comments(r))},
    )


def _respondent_back(r: Respondent) -> str:
    return _url(r.consultation)


@guarded("consultation.reply", load=respondent_detail, back=_respondent_back)
@require_POST
def no_comment_view(request: ActorRequest, r: Respondent) -> HttpResponse:
    services.no_comment(request.actor, respondent=r)
    messages.success(request, _("已回复无意见。"))
    return redirect(_url(r.consultation))


@guarded("consultation.summary", load=consultation_detail)
@require_safe
def summary_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    s = summary(c)
    rows = [
        (
            x,
            [
                (cm, who(cm), masked_contact(cm), DisposeForm(initial=_initial(cm)))
                for cm in x.comments
            ],
        )
        for x in s.sections
    ]
    return render(
        request,
        "consultation/summary.html",
        {
            "c": c,
            "s": s,
            "rows": rows,
            "counts": status_rows(s),
            "can_dispose": c.status in (Status.OPEN, Status.CLOSED),
        },
    )


def _initial(cm: Comment) -> dict[str, str]:
    return {"disposition": cm.disposition, "reason": cm.reason}


@guarded("consultation.summary", load=consultation_detail)
@require_safe
def summary_xlsx_view(request: ActorRequest, c: Consultation) -> HttpResponseBase:
    return summary_xlsx(request.actor, summary(c))


@guarded("consultation.summary", load=consultation_detail)
@require_safe
def summary_pdf_view(request: ActorRequest, c: Consultation) -> HttpResponseBase:
    return summary_pdf(request.actor, summary(c))


@guarded("consultation.dispose", load=comment_detail, back=_comment_back)
@require_POST
def dispose_view(request: ActorRequest, comment: Comment) -> HttpResponse:
    form = DisposeForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("请选择处理结果并填写理由。"))
    services.dispose(
        request.actor,
        comment=comment,
        disposition=form.cleaned_data["disposition"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("已处理该条意见，并通知提出单位。"))
    return redirect(_summary_url(comment.consultation) + f"#comment-{comment.pk}")


@guarded("consultation.manage", load=consultation_detail)
def publish_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    initial = {"final_text": c.final_text or "\n\n".join(_section_text(s) for s in sections_of(c))}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish(
                request.actor, consultation=c, final_text=form.cleaned_data["final_text"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已公布定稿及意见处理情况。"))
            return redirect(_url(c))
    return render(request, "consultation/publish.html", {"c": c, "form": form})


def _section_text(s: Any) -> str:
    head = f"{s.number}{s.heading}" if s.level else ""
    return "\n".join(p for p in (head, s.body) if p)
