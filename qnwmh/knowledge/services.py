"""Writes over the question bank, exams and attempts (one function per transition)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor, system_actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.knowledge import purposes
from qnwmh.knowledge.drawing import draw_paper, new_seed
from qnwmh.knowledge.grading import grade
from qnwmh.knowledge.models import (
    ATTEMPT_TRANSITIONS,
    Attempt,
    AttemptStatus,
    Category,
    Exam,
    Option,
    Question,
    QuestionKind,
)

# Bank ------------------------------------------------------------------------------------------


@transaction.atomic
def category_save(
    actor: Actor, *, category: Category | None = None, name: str, sort_order: int = 0
) -> Category:
    require(actor, "knowledge.manage_bank")
    name = name.strip()
    clash = Category.objects.filter(name=name)
    if category is not None:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        raise DomainError(_("已有同名类别。"), field="name")
    created = category is None
    category = category or Category()
    category.name, category.sort_order = name, sort_order
    category.save()
    verb = "created" if created else "updated"
    log_action(actor, category, f"knowledge.category.{verb}", data={"name": name})
    return category


def check_options(kind: str, options: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    options = [(text.strip(), correct) for text, correct in options if text.strip()]
    right = sum(1 for _text, correct in options if correct)
    if len({text for text, _c in options}) != len(options):
        raise DomainError(_("选项不能重复。"), field="options")
    if kind == QuestionKind.TRUE_FALSE:
        if len(options) != 2 or right != 1:
            raise DomainError(_("判断题有“正确”“错误”两个选项，其中一个是答案。"), field="options")
    elif len(options) < 2:
        raise DomainError(_("至少需要两个选项。"), field="options")
    elif kind == QuestionKind.SINGLE and right != 1:
        raise DomainError(_("单选题须有且只有一个正确选项。"), field="options")
    elif kind == QuestionKind.MULTIPLE and right < 2:
        raise DomainError(_("多选题须有至少两个正确选项。"), field="options")
    return options


def true_false_options(answer_true: bool) -> list[tuple[str, bool]]:
    return [(str(_("正确")), answer_true), (str(_("错误")), not answer_true)]


@transaction.atomic
def question_create(
    actor: Actor,
    *,
    category: Category,
    kind: str,
    stem: str,
    rule_ref: str,
    explanation: str = "",
    options: list[tuple[str, bool]],
) -> Question:
    require(actor, "knowledge.manage_bank")
    options = check_options(kind, options)
    question = Question.objects.create(
        category=category,
        kind=kind,
        stem=stem.strip(),
        rule_ref=rule_ref.strip(),
        explanation=explanation.strip(),
        created_by=actor.user,
    )
    Option.objects.bulk_create(
        Option(question=question, text=text, correct=correct, sort_order=i)
        for i, (text, correct) in enumerate(options)
    )
    log_action(actor, question, "knowledge.question.created", data={"category": category.name})
    return question


@transaction.atomic
def question_update(
    actor: Actor,
    *,
    question: Question,
    category: Category,
    kind: str,
    stem: str,
    rule_ref: str,
    explanation: str = "",
    options: list[tuple[str, bool]],
) -> Question:
    """Edit a question. Once drawn into a paper its content is what candidates answered:
    only the cited rule and the explanation may change (retire it and write a new one)."""
    require(actor, "knowledge.manage_bank")
    question = lock(Question, question.pk)
    options = check_options(kind, options)
    current = [(o.text, o.correct) for o in question.options.all()]
    content_changed = (
        category.pk != question.category_id
        or kind != question.kind
        or stem.strip() != question.stem
        or options != current
    )
    if content_changed and question.drawn:
        raise DomainError(
            _("这道题已被抽入试卷，题干、题型和选项不能再改；请停用后另建一道。"), field="stem"
        )
    question.category, question.kind, question.stem = category, kind, stem.strip()
    question.rule_ref, question.explanation = rule_ref.strip(), explanation.strip()
    question.save()
    if options != current:
        # Never drawn, so no paper points at these options: replacing them loses nothing.
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(question=question, text=text, correct=correct, sort_order=i)
            for i, (text, correct) in enumerate(options)
        )
    log_action(actor, question, "knowledge.question.updated")
    return question


@transaction.atomic
def question_set_active(actor: Actor, *, question: Question, active: bool) -> Question:
    """Retire a question (no longer drawn; papers that hold it keep it) or bring it back."""
    require(actor, "knowledge.manage_bank")
    question = lock(Question, question.pk)
    if question.active == active:
        return question
    question.active = active
    question.save(update_fields=["active", "updated_at"])
    verb = "restored" if active else "retired"
    log_action(actor, question, f"knowledge.question.{verb}")
    return question


# Exams -----------------------------------------------------------------------------------------


@transaction.atomic
def create_exam(
    actor: Actor,
    *,
    name: str,
    purpose: str,
    owner_code: str = "",
    category_counts: dict[str, int] | None = None,
    time_limit_minutes: int,
    pass_score: int,
    retakes: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Exam:
    """An exam for another app's object (``purpose`` names it, e.g. ``certification.round``).
    Without counts, a paper draws the default number of each active category's questions."""
    if not category_counts:  # a paper of nothing cannot be sat
        category_counts = default_category_counts()
    exam = Exam.objects.create(
        name=name,
        purpose=purpose,
        owner_code=owner_code,
        category_counts=category_counts,
        time_limit_minutes=time_limit_minutes,
        pass_score=pass_score,
        retakes=retakes,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor.user,
    )
    data: dict[str, Any] = {"purpose": purpose, "owner": owner_code}
    log_action(actor, exam, "knowledge.exam.created", data=data)
    return exam


# A new exam draws up to this many questions of each active category; city admins adjust.
DEFAULT_PER_CATEGORY = 5


def default_category_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for category in Category.objects.filter(active=True):
        have = category.questions.filter(active=True).count()
        if have:
            counts[category.code] = min(have, DEFAULT_PER_CATEGORY)
    return counts


@transaction.atomic
def exam_update(
    actor: Actor,
    *,
    exam: Exam,
    category_counts: dict[str, int],
    time_limit_minutes: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Exam:
    """The paper's make-up, time limit and window. Papers already drawn keep theirs."""
    require(actor, "knowledge.manage_exams", exam)
    exam = lock(Exam, exam.pk)
    counts = {code: int(n) for code, n in category_counts.items() if int(n) > 0}
    if not counts:
        raise DomainError(_("至少从一个类别抽题。"), field="category_counts")
    if time_limit_minutes < 1:
        raise DomainError(_("时长至少 1 分钟。"), field="time_limit_minutes")
    if closes_at <= opens_at:
        raise DomainError(_("结束时间须晚于开始时间。"), field="closes_at")
    for code, n in counts.items():
        have = Question.objects.filter(category__code=code, active=True).count()
        if have < n:
            name = Category.objects.filter(code=code).values_list("name", flat=True).first()
            raise DomainError(
                _("“%(category)s”类别只有 %(have)s 道启用的题目，不够抽取 %(need)s 道。")
                % {"category": name or code, "have": have, "need": n},
                field="category_counts",
            )
    before = {
        "category_counts": exam.category_counts,
        "time_limit_minutes": exam.time_limit_minutes,
        "opens_at": exam.opens_at.isoformat(),
        "closes_at": exam.closes_at.isoformat(),
    }
    exam.category_counts, exam.time_limit_minutes = counts, time_limit_minutes
    exam.opens_at, exam.closes_at = opens_at, closes_at
    exam.save()
    after = {
        "category_counts": counts,
        "time_limit_minutes": time_limit_minutes,
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
    }
    log_action(actor, exam, "knowledge.exam.updated", before=before, after=after)
    return exam


# Attempts --------------------------------------------------------------------------------------


def _attempts_of(exam: Exam, collective: Any, actor: Actor) -> Any:
    """The sittings that count against the same allowance: the collective's, or the taker's
    own when the exam is sat for no collective."""
    if collective is not None:
        return Attempt.objects.filter(exam=exam, collective=collective)
    return Attempt.objects.filter(exam=exam, taker=actor.user, collective__isnull=True)


@transaction.atomic
def attempt_start(
    actor: Actor, *, exam: Exam, collective: Any = None, member: Any = None
) -> Attempt:
    """Draw a paper and start the clock. One open sitting at a time per collective (and per
    taker); each exam allows one sitting plus its retakes, none after a pass."""
    require(actor, "knowledge.sit", exam)
    candidacy = _candidacy(actor, exam, collective)
    if candidacy.members and member not in candidacy.members:
        raise DomainError(_("请选择由谁参加测试。"), field="member")
    if not candidacy.members:
        member = None
    exam = lock(Exam, exam.pk)  # serialises starts of the same exam
    now = timezone.now()
    if not exam.opens_at <= now < exam.closes_at:
        raise DomainError(_("不在测试开放时间内。"))
    mine = Q(taker=actor.user) | (Q(collective=collective) if collective else Q())
    for stale in Attempt.objects.filter(
        mine, exam=exam, status=AttemptStatus.OPEN, deadline__lte=now
    ):
        _close(actor, stale, AttemptStatus.EXPIRED)
    previous = _attempts_of(exam, collective, actor)
    if (
        previous.filter(status=AttemptStatus.OPEN).exists()
        or Attempt.objects.filter(exam=exam, taker=actor.user, status=AttemptStatus.OPEN).exists()
    ):
        raise DomainError(_("已有一次答题正在进行，请先完成。"))
    if previous.filter(passed=True).exists():
        raise DomainError(_("已通过这项测试，无需补考。"))
    count = previous.count()
    if count >= exam.attempts_allowed:
        raise DomainError(_("已用完这项测试的全部答题次数（含补考）。"))
    seed = new_seed()
    paper = draw_paper(exam, seed)
    Question.objects.filter(pk__in=[item["q"] for item in paper], drawn=False).update(drawn=True)
    attempt = Attempt.objects.create(
        exam=exam,
        taker=actor.user,  # type: ignore[misc]  # require() above refused anonymous actors
        collective=candidacy.collective,
        member=member,
        candidate_name=member.name if member else _full_name(actor.user),
        number=count + 1,
        seed=seed,
        paper=paper,
        started_at=now,
        deadline=min(now + datetime.timedelta(minutes=exam.time_limit_minutes), exam.closes_at),
    )
    log_action(
        actor,
        attempt,
        "knowledge.attempt.started",
        data={"exam": exam.code, "number": attempt.number, "seed": seed},
    )
    return attempt


def _full_name(user: Any) -> str:
    return user.get_full_name() or user.username


def _candidacy(actor: Actor, exam: Exam, collective: Any) -> purposes.Candidacy:
    for candidacy in purposes.candidates_for(actor, exam):
        if (candidacy.collective is None and collective is None) or (
            collective is not None
            and candidacy.collective is not None
            and candidacy.collective.pk == collective.pk
        ):
            return candidacy
    raise DomainError(_("不能为这个集体参加这项测试。"), field="collective")


def _clean_answers(attempt: Attempt, answers: dict[Any, list[Any]]) -> dict[str, list[int]]:
    """Answers to the paper's questions among the options shown; anything else is dropped
    (a tampered form cannot answer another question or pick an option it was not shown)."""
    shown = {str(item["q"]): item["o"] for item in attempt.paper}
    single = {
        str(pk)
        for pk in Question.objects.filter(
            pk__in=[item["q"] for item in attempt.paper],
            kind__in=[QuestionKind.SINGLE, QuestionKind.TRUE_FALSE],
        ).values_list("pk", flat=True)
    }
    out: dict[str, list[int]] = {}
    for key, chosen in answers.items():
        qid = str(key)
        if qid not in shown:
            continue
        picked = sorted({int(o) for o in chosen if str(o).isdigit() and int(o) in shown[qid]})
        out[qid] = picked[:1] if qid in single else picked
    return out


class TimeUp(DomainError):
    """An answer that arrived after the deadline: the sitting has closed without it."""


def attempt_answer(actor: Actor, *, attempt: Attempt, answers: dict[Any, list[Any]]) -> Attempt:
    """Save answers as the candidate goes; an answer received after the deadline is ignored
    and closes the sitting (kept closed: the refusal is raised after the commit)."""
    require(actor, "knowledge.answer", attempt)
    with transaction.atomic():
        attempt = lock(Attempt, attempt.pk)
        ATTEMPT_TRANSITIONS.check(attempt, AttemptStatus.SUBMITTED)
        late = timezone.now() >= attempt.deadline
        if late:
            _close(actor, attempt, AttemptStatus.EXPIRED)
        else:
            attempt.answers = {**attempt.answers, **_clean_answers(attempt, answers)}
            attempt.save(update_fields=["answers"])
    if late:
        raise TimeUp(_("时间已到，已自动交卷；之后提交的答案不计入。"))
    return attempt


def attempt_submit(
    actor: Actor, *, attempt: Attempt, answers: dict[Any, list[Any]] | None = None
) -> Attempt:
    """Hand in: the last answers are saved (if before the deadline), then the paper graded."""
    require(actor, "knowledge.answer", attempt)
    if answers:
        try:
            attempt = attempt_answer(actor, attempt=attempt, answers=answers)
        except TimeUp:
            return Attempt.objects.get(pk=attempt.pk)
    with transaction.atomic():
        attempt = lock(Attempt, attempt.pk)
        late = timezone.now() >= attempt.deadline
        return _close(actor, attempt, AttemptStatus.EXPIRED if late else AttemptStatus.SUBMITTED)


def _close(actor: Actor, attempt: Attempt, status: str) -> Attempt:
    """Grade and close (inside the caller's transaction, the attempt locked)."""
    ATTEMPT_TRANSITIONS.move(attempt, status)
    result = grade(attempt)
    attempt.score, attempt.passed, attempt.per_category = (
        result.score,
        result.passed,
        result.per_category,
    )
    # An expired sitting ends at its deadline, whenever it is noticed.
    attempt.submitted_at = attempt.deadline if status == AttemptStatus.EXPIRED else timezone.now()
    attempt.save()
    verb = "expired" if status == AttemptStatus.EXPIRED else "submitted"
    log_action(
        actor,
        attempt,
        f"knowledge.attempt.{verb}",
        data={"score": str(result.score), "passed": result.passed},
    )
    return attempt


@transaction.atomic
def attempt_close_if_expired(actor: Actor, *, attempt: Attempt) -> Attempt:
    """Reading an open sitting past its deadline closes it first (the server keeps time)."""
    if attempt.status != AttemptStatus.OPEN or timezone.now() < attempt.deadline:
        return attempt
    attempt = lock(Attempt, attempt.pk)
    if attempt.status != AttemptStatus.OPEN:
        return attempt
    return _close(actor, attempt, AttemptStatus.EXPIRED)


def close_expired_attempts(actor: Actor) -> int:
    """Close every open sitting past its deadline (the cron-able command); one transaction
    per sitting, so a failure leaves the others closed."""
    closed = 0
    due = Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lte=timezone.now())
    for attempt in due.only("pk", "status", "deadline"):
        if attempt_close_if_expired(actor, attempt=attempt).status == AttemptStatus.EXPIRED:
            closed += 1
    return closed


def sweep() -> int:
    """The worker's once-a-minute pass (``qnwmh.core.worker.sweeps``)."""
    return close_expired_attempts(system_actor())
