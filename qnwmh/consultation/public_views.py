"""Public pages of consultations: published ones (the final text, every comment with its
disposition and the name of the body that made it — never a person's name or contact) and
open ones that take comments from the public."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.consultation import services
from qnwmh.consultation.forms import PublicCommentForm
from qnwmh.consultation.models import Consultation, Status
from qnwmh.consultation.selectors import (
    open_to_public,
    public_consultations,
    public_detail,
    sections_of,
    summary,
)
from qnwmh.core.actor import ANONYMOUS, Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.supervision import ratelimit

# Public comments per address: 10 an hour.
COMMENT_RATE = (10, 3600)


def _public_actor(request: ActorRequest) -> Actor:
    return Actor(user=None, ip=request.actor.ip or ANONYMOUS.ip)


@guarded(public=True)
@require_safe
def list_view(request: ActorRequest) -> HttpResponse:
    return render(
        request, "consultation/public/list.html", {"items": list(public_consultations()[:50])}
    )


def _page(request: ActorRequest, c: Consultation, form: PublicCommentForm | None) -> HttpResponse:
    context = {"c": c, "sections": sections_of(c), "form": form}
    if c.status == Status.PUBLISHED:
        s = summary(c)
        context.update({"s": s, "bodies": [r.organisation.name for r in s.respondents]})
    return render(request, "consultation/public/detail.html", context)


def _load(actor: Actor, code: str) -> Consultation:
    return public_detail(code)


def _load_open(actor: Actor, code: str) -> Consultation:
    return open_to_public(code)


@guarded(public=True, load=_load)
@require_safe
def detail_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    form = PublicCommentForm(sections=sections_of(c)) if c.status == Status.OPEN else None
    return _page(request, c, form)


@guarded(public=True, load=_load_open)
@require_POST
def comment_view(request: ActorRequest, c: Consultation) -> HttpResponse:
    sections = sections_of(c)
    form = PublicCommentForm(request.POST, sections=sections)
    if form.is_valid():
        actor = _public_actor(request)
        if not ratelimit.hit(f"consult:ip:{actor.ip}", *COMMENT_RATE):
            form.add_error(None, _("提交过于频繁，请稍后再试。"))
            return _page(request, c, form)
        section = next(s for s in sections if s.pk == form.cleaned_data["section"])
        try:
            services.public_comment(
                actor,
                consultation=c,
                section=section,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("感谢您的意见，我们会认真研究。"))
            return redirect(reverse("consultation_public:detail", args=[c.code]))
    return _page(request, c, form)
