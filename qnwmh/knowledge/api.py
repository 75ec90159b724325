"""REST endpoints for the knowledge test (``/api/v1/knowledge/...``): the exams an actor may
sit, and the sitting (start, read the paper — never its key —, answer, hand in, result),
through the same selectors and services as the pages. Time is the server's: an answer after
the deadline is refused (400) and the sitting closes without it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from qnwmh.core.apischema import CodeStr, IdInt, api_actor, errors
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import can
from qnwmh.knowledge import purposes, selectors, services
from qnwmh.knowledge.models import Attempt, AttemptStatus, Exam

router = Router(tags=["knowledge"])


class SitterOut(Schema):
    id: int
    name: str
    is_leader: bool


class CandidacyOut(Schema):
    collective_code: CodeStr
    collective: str
    sitters: list[SitterOut]
    attempts: int
    attempts_left: int
    best_score: Decimal | None
    passed: bool
    open: bool


class ExamOut(Schema):
    code: CodeStr
    name: str
    purpose: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    time_limit_minutes: int
    pass_score: int
    attempts_allowed: int
    questions: int
    candidacies: list[CandidacyOut]


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    number: int
    kind: str
    category: str
    stem: str
    options: list[OptionOut]
    chosen: list[int]
    # After grading only: whether it was answered right, and the rule it tests.
    right: bool | None = None
    rule_ref: str = ""


class CategoryScoreOut(Schema):
    category: str
    correct: int
    total: int
    score: Decimal


class AttemptOut(Schema):
    code: CodeStr
    exam_code: CodeStr
    collective_code: CodeStr | None
    candidate_name: str
    number: int
    status: str
    started_at: datetime.datetime
    deadline: datetime.datetime
    seconds_left: int
    submitted_at: datetime.datetime | None
    score: Decimal | None
    passed: bool | None
    per_category: list[CategoryScoreOut]
    paper: list[QuestionOut]


class StartIn(Schema):
    collective_code: CodeStr
    member_id: IdInt | None = None


class AnswerIn(Schema):
    question_id: IdInt
    option_ids: list[IdInt] = Field(default_factory=list, max_length=6)


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(max_length=500)


def _exam_out(actor: Any, exam: Exam) -> dict[str, Any]:
    candidacies = [c for c in purposes.candidates_for(actor, exam) if c.collective is not None]
    results = selectors.results_for(exam, [c.collective.pk for c in candidacies])
    return {
        "code": exam.code,
        "name": exam.name,
        "purpose": exam.purpose,
        "opens_at": exam.opens_at,
        "closes_at": exam.closes_at,
        "time_limit_minutes": exam.time_limit_minutes,
        "pass_score": exam.pass_score,
        "attempts_allowed": exam.attempts_allowed,
        "questions": sum(int(n) for n in exam.category_counts.values()),
        "candidacies": [
            {
                "collective_code": c.collective.code,
                "collective": c.collective.name,
                "sitters": [
                    {"id": m.pk, "name": m.name, "is_leader": m.is_leader} for m in c.members
                ],
                "attempts": results[c.collective.pk].attempts,
                "attempts_left": results[c.collective.pk].attempts_left,
                "best_score": results[c.collective.pk].best_score,
                "passed": results[c.collective.pk].passed,
                "open": results[c.collective.pk].open,
            }
            for c in candidacies
        ],
    }


def _attempt_out(actor: Any, attempt: Attempt) -> dict[str, Any]:
    graded = attempt.status != AttemptStatus.OPEN
    # The paper goes to its taker while open; once graded, to whoever may see the sitting.
    show_paper = graded or can(actor, "knowledge.answer", attempt)
    items = selectors.paper_of(attempt, graded=graded) if show_paper else []
    return {
        "code": attempt.code,
        "exam_code": attempt.exam.code,
        "collective_code": attempt.collective.code if attempt.collective else None,
        "candidate_name": attempt.candidate_name,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": 0
        if graded
        else max(0, int((attempt.deadline - timezone.now()).total_seconds())),
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "per_category": [
            {
                "category": row["name"],
                "correct": row["correct"],
                "total": row["total"],
                "score": Decimal(row["score"]),
            }
            for row in attempt.per_category.values()
        ],
        "paper": [
            {
                "id": i.question_id,
                "number": i.number,
                "kind": i.kind,
                "category": i.category,
                "stem": i.stem,
                "options": [{"id": oid, "text": text} for oid, text in i.options],
                "chosen": i.chosen,
                "right": i.right,
                "rule_ref": i.rule_ref,
            }
            for i in items
        ],
    }


def _attempt(actor: Any, code: str) -> Attempt:
    attempt = selectors.attempt_detail(actor, code)
    return services.attempt_close_if_expired(actor, attempt=attempt)


@router.get("/exams", response={200: list[ExamOut], **errors(403)})
def list_exams(request: HttpRequest) -> list[dict[str, Any]]:
    """Exams you may sit (managers) or keep (city admins)."""
    actor = api_actor(request)
    if not can(actor, "knowledge.view_exams"):
        raise PermissionDenied
    return [_exam_out(actor, e) for e in selectors.exams_visible_to(actor)]


@router.get("/exams/{code}", response={200: ExamOut, **errors(404)})
def get_exam(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    actor = api_actor(request)
    return _exam_out(actor, selectors.exam_detail(actor, code))


@router.post("/exams/{code}/attempts", response={201: AttemptOut, **errors(400, 403, 404)})
def start_attempt(request: HttpRequest, code: CodeStr, payload: StartIn) -> Status:
    """Start a sitting for one of your collectives; ``member_id`` names the sitter when the
    exam lists sitters (the leader, or the members the rules allow)."""
    actor = api_actor(request)
    exam = selectors.exam_detail(actor, code)
    if not can(actor, "knowledge.sit", exam):
        raise PermissionDenied
    for candidacy in purposes.candidates_for(actor, exam):
        if (
            candidacy.collective is not None
            and candidacy.collective.code == payload.collective_code
        ):
            member = next((m for m in candidacy.members if m.pk == payload.member_id), None)
            attempt = services.attempt_start(
                actor, exam=exam, collective=candidacy.collective, member=member
            )
            return Status(201, _attempt_out(actor, attempt))
    raise DomainError(_("不能为这个集体参加这项测试。"), field="collective_code")


@router.get("/attempts/{code}", response={200: AttemptOut, **errors(404)})
def get_attempt(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """The sitting: its paper while open (options only, never which are correct), its
    result once handed in or timed out."""
    actor = api_actor(request)
    return _attempt_out(actor, _attempt(actor, code))


@router.post("/attempts/{code}/answers", response={200: AttemptOut, **errors(400, 403, 404)})
def save_answers(request: HttpRequest, code: CodeStr, payload: AnswersIn) -> dict[str, Any]:
    """Save answers (each replaces that question's earlier answer; an empty list clears it)."""
    actor = api_actor(request)
    attempt = _attempt(actor, code)
    if not can(actor, "knowledge.answer", attempt):
        raise PermissionDenied
    answers = {a.question_id: list(a.option_ids) for a in payload.answers}
    attempt = services.attempt_answer(actor, attempt=attempt, answers=answers)
    return _attempt_out(actor, attempt)


@router.post("/attempts/{code}/submit", response={200: AttemptOut, **errors(400, 403, 404)})
def submit_attempt(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """Hand in: the paper is graded on the saved answers."""
    actor = api_actor(request)
    attempt = _attempt(actor, code)
    if not can(actor, "knowledge.answer", attempt):
        raise PermissionDenied
    return _attempt_out(actor, services.attempt_submit(actor, attempt=attempt))


@router.get("/attempts/{code}/result", response={200: AttemptOut, **errors(400, 404)})
def get_result(request: HttpRequest, code: CodeStr) -> dict[str, Any]:
    """The graded sitting (score, pass, per-category scores); 400 while it is still open."""
    actor = api_actor(request)
    attempt = _attempt(actor, code)
    if attempt.status == AttemptStatus.OPEN:
        raise DomainError(_("尚未交卷，还没有成绩。"))
    return _attempt_out(actor, attempt)
