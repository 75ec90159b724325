"""The reviewer's workspace: their assignments with deadlines, the answer to an invitation, the
read-only dossier of an assigned application and the declaration of a conflict. A reviewer
reaches nothing else of the back office (see ``nav.py`` and the authorization matrix)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.certification.forms.reviewers import ReasonForm
from qnwmh.certification.models import Application, Assignment, AssignmentStatus
from qnwmh.certification.selectors import reviewers as sel
from qnwmh.certification.services import assignment as assigning
from qnwmh.certification.services import reviewers as pool
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.evidence.models import EvidenceFile
from qnwmh.evidence.views import INLINE_TYPES
from qnwmh.evidence.views import _respond as respond_file
from qnwmh.programme.models import Dimension

REVIEW = "certification.review"


@guarded(REVIEW, check_first=True)
@require_safe
def review_home_view(request: ActorRequest) -> HttpResponse:
    # Only what the table shows: a reviewer may hold hundreds of assignments.
    rows = (
        sel.reviewer_home(request.actor)
        .select_related(None)
        .select_related("application__collective", "application__town")
        .only(
            "code",
            "status",
            "due_on",
            "application__code",
            "application__collective__name",
            "application__town__name",
        )
    )
    page = paginate(request, rows)
    return render(
        request,
        "certification/reviewers/home.html",
        {
            "assignments": page,
            "page": page,
            "qs": querystring_without_page(request),
            "today": timezone.localdate(),
            "S": AssignmentStatus,
        },
    )


def _home(_: object = None) -> str:
    return reverse("certification:review_home")


@guarded("certification.respond", load=sel.own_assignment, back=_home)
@require_POST
def accept_view(request: ActorRequest, a: Assignment) -> HttpResponse:
    assigning.accept(request.actor, assignment=a)
    messages.success(request, _("已接受评审邀请。"))
    return redirect(_home())


@guarded("certification.respond", load=sel.own_assignment, back=_home)
def decline_view(request: ActorRequest, a: Assignment) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assigning.decline(request.actor, assignment=a, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已谢绝，团市委将另行安排。"))
            return redirect(_home())
    return render(request, "certification/reviewers/decline.html", {"form": form, "a": a})


@guarded(REVIEW, load=sel.dossier_application, check_first=True)
@require_safe
def dossier_view(request: ActorRequest, app: Application) -> HttpResponse:
    dossier = sel.dossier(app)
    labels = dict(Dimension.choices)
    return render(
        request,
        "certification/reviewers/dossier.html",
        {
            "d": dossier,
            "app": app,
            "assessments": [(labels.get(s.dimension, s.dimension), s) for s in dossier.assessments],
        },
    )


@guarded("certification.declare_conflict", load=sel.dossier_application)
def declare_conflict_view(request: ActorRequest, app: Application) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool.conflict_declare(request.actor, application=app, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已申明回避，相关评审任务已撤销。"))
            return redirect(_home())
    return render(request, "certification/reviewers/declare.html", {"form": form, "app": app})


@guarded(REVIEW, load=sel.dossier_file, check_first=True)
@require_safe
def dossier_file_view(request: ActorRequest, evidence: EvidenceFile) -> FileResponse:
    inline = evidence.content_type in INLINE_TYPES and request.GET.get("download") != "1"
    return respond_file(
        evidence.storage_name, evidence.content_type, evidence.download_name, inline=inline
    )
