"""Knowledge-test pages: the question bank (city admins), exams' settings, and the sitting
itself (start → paper → hand in → result), built to work on a phone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from qnwmh.audit.exports import wants_xlsx
from qnwmh.collectives.importing.files import FileRejected
from qnwmh.core.confirm import ask, is_confirmed
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.permissions import can
from qnwmh.knowledge import purposes, selectors, services, spreadsheets
from qnwmh.knowledge.forms import CategoryForm, ExamForm, ImportForm, QuestionForm
from qnwmh.knowledge.models import Attempt, AttemptStatus, Category, Exam, Question, QuestionKind

# Bank ------------------------------------------------------------------------------------------


@guarded("knowledge.manage_bank")
@require_safe
def bank_view(request: ActorRequest) -> HttpResponseBase:
    filters = selectors.BankFilters.from_query(request.GET)
    if wants_xlsx(request):
        return spreadsheets.bank_xlsx(request.actor, filters)
    page = paginate(request, selectors.bank(request.actor, filters))
    return render(
        request,
        "knowledge/bank.html",
        {
            "page": page,
            "qs": querystring_without_page(request),
            "filters": filters,
            "categories": [(c.code, c.name) for c in Category.objects.all()],
            "kinds": QuestionKind.choices,
            "activity": [("1", _("启用")), ("0", _("已停用")), ("all", _("全部"))],
        },
    )


@guarded("knowledge.manage_bank")
@require_safe
def bank_template_view(request: ActorRequest) -> HttpResponseBase:
    return spreadsheets.template(request.actor)


@guarded("knowledge.manage_bank")
def bank_import_view(request: ActorRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = spreadsheets.import_questions(
                request.actor,
                upload=form.cleaned_data["file"],
                apply=not form.cleaned_data["check_only"],
            )
        except FileRejected as exc:
            form.add_error("file", exc.message)
        else:
            if report.applied:
                messages.success(
                    request,
                    _("已导入：新增 %(created)s 道，更新 %(updated)s 道，未变 %(unchanged)s 道。")
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                return redirect("knowledge:bank")
    return render(request, "knowledge/import.html", {"form": form, "report": report})


@guarded("knowledge.manage_bank")
def categories_view(request: ActorRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(request.actor, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加类别。"))
            return redirect("knowledge:categories")
    return render(
        request,
        "knowledge/categories.html",
        {"form": form, "categories": selectors.categories_with_counts()},
    )


@guarded("knowledge.manage_bank", load=selectors.category_detail, check_first=True)
def category_edit_view(request: ActorRequest, category: Category) -> HttpResponse:
    initial = {"name": category.name, "sort_order": category.sort_order}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(request.actor, category=category, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("knowledge:categories")
    return render(request, "knowledge/category_form.html", {"form": form, "category": category})


def _question_fields(form: QuestionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "category": data["category"],
        "kind": data["kind"],
        "stem": data["stem"],
        "rule_ref": data["rule_ref"],
        "explanation": data["explanation"],
        "options": form.options(),
    }


@guarded("knowledge.manage_bank")
def question_create_view(request: ActorRequest) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(request.actor, **_question_fields(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已添加题目。"))
            return redirect("knowledge:question", code=question.code)
    return render(request, "knowledge/question_form.html", {"form": form})


@guarded("knowledge.manage_bank", load=selectors.question_detail, check_first=True)
def question_view(request: ActorRequest, question: Question) -> HttpResponse:
    form = QuestionForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(request.actor, question=question, **_question_fields(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("knowledge:question", code=question.code)
    return render(
        request,
        "knowledge/question_form.html",
        {"form": form, "question": question, "options": question.options.all()},
    )


def _question_url(question: Question) -> str:
    return reverse("knowledge:question", args=[question.code])


@guarded(
    "knowledge.manage_bank", load=selectors.question_detail, back=_question_url, check_first=True
)
@require_POST
def question_active_view(request: ActorRequest, question: Question) -> HttpResponse:
    active = request.POST.get("active") == "1"
    if not active and not is_confirmed(request):
        return ask(request, _("停用后不再抽到这道题，确定吗？"), back=_question_url(question))
    services.question_set_active(request.actor, question=question, active=active)
    messages.success(request, _("已启用。") if active else _("已停用，今后不再抽到这道题。"))
    return redirect("knowledge:question", code=question.code)


# Exams -----------------------------------------------------------------------------------------


@guarded("knowledge.view_exams")
@require_safe
def exam_list_view(request: ActorRequest) -> HttpResponse:
    exams = list(selectors.exams_visible_to(request.actor))
    results = {e.pk: _results_of(request, e) for e in exams}
    return render(
        request,
        "knowledge/exams.html",
        {
            "rows": [(e, purposes.label_of(e.purpose), results[e.pk]) for e in exams],
            "can_bank": can(request.actor, "knowledge.manage_bank"),
        },
    )


def _results_of(request: ActorRequest, exam: Exam) -> list[Any]:
    """The actor's collectives with their results in ``exam`` (candidates only)."""
    candidacies = purposes.candidates_for(request.actor, exam)
    ids = [c.collective.pk for c in candidacies if c.collective is not None]
    found = selectors.results_for(exam, ids)
    return [(c, found.get(c.collective.pk) if c.collective else None) for c in candidacies]


@guarded(load=selectors.exam_detail)
@require_safe
def exam_view(request: ActorRequest, exam: Exam) -> HttpResponse:
    actor = request.actor
    staff = can(actor, "knowledge.manage_exams", exam)
    attempts = selectors.attempts_visible_to(actor).filter(exam=exam)
    if not staff:
        attempts = attempts.filter(collective_id__in=actor.collective_ids)
    # Where a collective's sitting is under way, the page leads back to it.
    open_sittings = dict(
        attempts.filter(status=AttemptStatus.OPEN).values_list("collective_id", "code")
    )
    return render(
        request,
        "knowledge/exam.html",
        {
            "exam": exam,
            "purpose": purposes.label_of(exam.purpose),
            "categories": _counts(exam),
            "candidacies": [
                (c, result, open_sittings.get(c.collective.pk))
                for c, result in _results_of(request, exam)
            ],
            "can_manage": staff,
            "page": paginate(request, attempts.order_by("-started_at", "-id")),
            "is_open": exam.opens_at <= timezone.now() < exam.closes_at,
        },
    )


def _counts(exam: Exam) -> list[tuple[str, int]]:
    names = dict(Category.objects.filter(code__in=exam.category_counts).values_list("code", "name"))
    return [(names.get(code, code), n) for code, n in sorted(exam.category_counts.items())]


@guarded("knowledge.manage_exams", load=selectors.exam_detail)
def exam_settings_view(request: ActorRequest, exam: Exam) -> HttpResponse:
    form = ExamForm(request.POST or None, exam=exam)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.exam_update(
                request.actor,
                exam=exam,
                category_counts=form.category_counts(),
                time_limit_minutes=data["time_limit_minutes"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存测试设置。"))
            return redirect("knowledge:exam", code=exam.code)
    return render(request, "knowledge/exam_settings.html", {"form": form, "exam": exam})


def _exam_url(exam: Exam) -> str:
    return reverse("knowledge:exam", args=[exam.code])


@guarded("knowledge.sit", load=selectors.exam_detail, back=_exam_url)
@require_POST
def attempt_start_view(request: ActorRequest, exam: Exam) -> HttpResponse:
    if not is_confirmed(request):
        return ask(request, _("开始后立即计时，确定开始答题吗？"), back=_exam_url(exam))
    collective, member = _sitter(request, exam)
    attempt = services.attempt_start(request.actor, exam=exam, collective=collective, member=member)
    return redirect("knowledge:attempt", code=attempt.code)


def _sitter(request: ActorRequest, exam: Exam) -> tuple[Any, Any]:
    """The posted "collective id:member id" among the actor's candidacies (else refused)."""
    collective_id, _sep, member_id = str(request.POST.get("sitter", "")).partition(":")
    for candidacy in purposes.candidates_for(request.actor, exam):
        if candidacy.collective is None or str(candidacy.collective.pk) != collective_id:
            continue
        member = next((m for m in candidacy.members if str(m.pk) == member_id), None)
        return candidacy.collective, member
    raise DomainError(_("请选择由谁参加测试。"))


# The sitting -----------------------------------------------------------------------------------


def _attempt(actor: Any, code: str) -> Attempt:
    """A visible sitting, closed first if its time is up (the server keeps time)."""
    attempt = selectors.attempt_detail(actor, code)
    return services.attempt_close_if_expired(actor, attempt=attempt)


@guarded(load=_attempt)
@require_safe
def attempt_view(request: ActorRequest, attempt: Attempt) -> HttpResponse:
    if attempt.status == AttemptStatus.OPEN and can(request.actor, "knowledge.answer", attempt):
        items = selectors.paper_of(attempt)
        return render(
            request,
            "knowledge/paper.html",
            {
                "attempt": attempt,
                "items": items,
                "answered": sum(1 for i in items if i.chosen),
                # Rounded up: "about 1 minute" until the very end.
                "minutes_left": -(
                    -max(0, int((attempt.deadline - timezone.now()).total_seconds())) // 60
                ),
            },
        )
    graded = attempt.status != AttemptStatus.OPEN
    return render(
        request,
        "knowledge/result.html",
        {
            "attempt": attempt,
            "items": selectors.paper_of(attempt, graded=graded) if graded else [],
            "categories": sorted(attempt.per_category.values(), key=lambda r: r["name"]),
        },
    )


def _posted_answers(request: ActorRequest, attempt: Attempt) -> dict[str, list[str]]:
    # Every question of the paper is posted each time, so clearing a multiple choice counts.
    return {str(item["q"]): request.POST.getlist(f"q{item['q']}") for item in attempt.paper}


def _attempt_url(attempt: Attempt) -> str:
    return reverse("knowledge:attempt", args=[attempt.code])


def _to_result(request: ActorRequest, attempt: Attempt, message: str) -> HttpResponse:
    """The sitting closed under the candidate: send the whole page to the result (htmx
    would otherwise put the result page inside the "saved" line)."""
    messages.warning(request, message)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _attempt_url(attempt)
        return response
    return redirect("knowledge:attempt", code=attempt.code)


@guarded("knowledge.answer", load=_attempt, back=_attempt_url)
@require_POST
def attempt_answer_view(request: ActorRequest, attempt: Attempt) -> HttpResponse:
    if attempt.status != AttemptStatus.OPEN:
        return _to_result(request, attempt, _("本次答题已结束，之后提交的答案不计入。"))
    try:
        attempt = services.attempt_answer(
            request.actor, attempt=attempt, answers=_posted_answers(request, attempt)
        )
    except services.TimeUp as exc:
        return _to_result(request, attempt, str(exc))
    if request.htmx:
        answered = sum(1 for chosen in attempt.answers.values() if chosen)
        return render(
            request,
            "knowledge/_saved.html",
            {"attempt": attempt, "answered": answered, "saved_at": timezone.now()},
        )
    messages.success(request, _("答案已保存。"))
    return redirect("knowledge:attempt", code=attempt.code)


@guarded("knowledge.answer", load=_attempt, back=_attempt_url)
@require_POST
def attempt_submit_view(request: ActorRequest, attempt: Attempt) -> HttpResponse:
    if attempt.status != AttemptStatus.OPEN:
        return _to_result(request, attempt, _("交卷时已超过截止时间，按截止前保存的答案计分。"))
    if not is_confirmed(request):
        return ask(request, _("交卷后不能再修改，确定交卷吗？"), back=_attempt_url(attempt))
    attempt = services.attempt_submit(
        request.actor, attempt=attempt, answers=_posted_answers(request, attempt)
    )
    if attempt.status == AttemptStatus.EXPIRED:
        messages.warning(request, _("交卷时已超过截止时间，按截止前保存的答案计分。"))
    else:
        messages.success(request, _("已交卷。"))
    return redirect("knowledge:attempt", code=attempt.code)
