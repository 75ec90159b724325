"""The knowledge test engine: drawing, the sitting's clock, retakes, grading and the pass
gate, and certification's candidates (who may sit a round's exam)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnwmh.audit.models import AuditEntry
from qnwmh.certification.models import ApplicationStatus
from qnwmh.certification.testing import candidates, ensure_exam, sync_exam_window
from qnwmh.core.actor import system_actor
from qnwmh.core.errors import DomainError
from qnwmh.knowledge import services as s
from qnwmh.knowledge.drawing import draw_paper
from qnwmh.knowledge.grading import grade
from qnwmh.knowledge.models import Attempt, AttemptStatus, Option, Question
from qnwmh.knowledge.selectors import results_for
from qnwmh.programme.models import KnowledgeTaker
from tests import factories_certification as fcert
from tests import knowledge_builders as kb


def start(world: Any, exam: Any, role: str = "manager") -> Attempt:
    return s.attempt_start(
        world.actor(role), exam=exam, collective=world.collective, member=world.member
    )


def answer_all(attempt: Attempt, right: int) -> dict[str, list[int]]:
    """Answers with the first ``right`` questions right and the rest wrong."""
    return {
        str(item["q"]): kb.key(item["q"]) if n < right else kb.wrong(item["q"])
        for n, item in enumerate(attempt.paper)
    }


def expire(attempt: Attempt) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    attempt.refresh_from_db()


# Drawing ---------------------------------------------------------------------------------------


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(min_value=0, max_value=2**62),
    counts=st.tuples(st.integers(1, 5), st.integers(0, 4)),
)
def test_the_same_seed_draws_the_same_paper(world: Any, seed: int, counts: tuple[int, int]) -> None:
    a, b = kb.category(), kb.category()
    for _i in range(5):
        kb.question(a)
        kb.question(b, kind="multiple", options=5)
    kb.question(a, kind="true_false")
    retired = kb.question(a)
    retired.active = False
    retired.save()
    exam = kb.exam({a: counts[0], b: counts[1]})

    paper = draw_paper(exam, seed)

    assert draw_paper(exam, seed) == paper
    ids = [item["q"] for item in paper]
    assert len(ids) == len(set(ids)) == sum(counts)
    drawn = Question.objects.filter(pk__in=ids)
    assert drawn.filter(category=a).count() == counts[0]
    assert drawn.filter(category=b).count() == counts[1]
    assert retired.pk not in ids
    for item in paper:
        options = Option.objects.filter(question_id=item["q"]).values_list("id", flat=True)
        assert sorted(item["o"]) == sorted(options)


def test_different_seeds_draw_different_papers(world: Any) -> None:
    c = kb.category(questions=20)
    exam = kb.exam({c: 10})
    papers = {tuple(i["q"] for i in draw_paper(exam, seed)) for seed in range(10)}
    assert len(papers) > 1


def test_a_bank_too_small_for_the_paper_is_refused(world: Any) -> None:
    c = kb.category(questions=2)
    with pytest.raises(DomainError, match="不够抽取"):
        draw_paper(kb.exam({c: 3}), 1)


# The sitting -----------------------------------------------------------------------------------


def test_a_leader_sits_the_rounds_exam_and_passes(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    assert attempt.number == 1
    assert attempt.candidate_name == world.member.name
    assert len(attempt.paper) == 6
    assert attempt.deadline <= attempt.started_at + datetime.timedelta(minutes=30)

    done = s.attempt_submit(world.actor("manager"), attempt=attempt, answers=answer_all(attempt, 5))

    assert done.status == AttemptStatus.SUBMITTED
    assert str(done.score) == "83.3"
    assert done.passed is True
    assert sum(row["total"] for row in done.per_category.values()) == 6
    assert sum(row["correct"] for row in done.per_category.values()) == 5
    result = results_for(exam, [world.collective.pk])[world.collective.pk]
    assert result.passed and result.attempts == 1 and not result.open
    codes = set(AuditEntry.objects.filter(object_id=str(done.pk)).values_list("code", flat=True))
    assert {"knowledge.attempt.started", "knowledge.attempt.submitted"} <= codes


def test_below_the_pass_mark_fails_and_a_retake_is_allowed_once(world: Any) -> None:
    exam = kb.round_exam(world)
    first = start(world, exam)
    s.attempt_submit(world.actor("manager"), attempt=first, answers=answer_all(first, 3))
    first.refresh_from_db()
    assert str(first.score) == "50.0" and first.passed is False

    second = start(world, exam)
    assert second.number == 2
    s.attempt_submit(world.actor("manager"), attempt=second, answers={})
    with pytest.raises(DomainError, match="已用完"):
        start(world, exam)
    result = results_for(exam, [world.collective.pk])[world.collective.pk]
    assert result.attempts == 2 and result.attempts_left == 0 and not result.passed
    assert str(result.best_score) == "50.0"


def test_no_retake_after_a_pass(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    s.attempt_submit(world.actor("manager"), attempt=attempt, answers=answer_all(attempt, 6))
    with pytest.raises(DomainError, match="已通过"):
        start(world, exam)


def test_one_open_attempt_at_a_time(world: Any) -> None:
    exam = kb.round_exam(world)
    start(world, exam)
    with pytest.raises(DomainError, match="正在进行"):
        start(world, exam)
    assert Attempt.objects.filter(exam=exam).count() == 1


def test_outside_the_window_nobody_starts(world: Any) -> None:
    exam = kb.round_exam(world)
    exam.opens_at = timezone.now() + datetime.timedelta(hours=1)
    exam.closes_at = exam.opens_at + datetime.timedelta(days=1)
    exam.save()
    with pytest.raises(DomainError, match="开放时间"):
        start(world, exam)


def test_the_deadline_never_passes_the_exams_close(world: Any) -> None:
    exam = kb.round_exam(world)
    exam.closes_at = timezone.now() + datetime.timedelta(minutes=5)
    exam.save()
    attempt = start(world, exam)
    assert attempt.deadline == exam.closes_at


def test_answers_are_saved_as_the_candidate_goes(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    q1, q2 = attempt.paper[0]["q"], attempt.paper[1]["q"]
    s.attempt_answer(world.actor("manager"), attempt=attempt, answers={q1: kb.key(q1)})
    s.attempt_answer(world.actor("manager"), attempt=attempt, answers={q2: kb.wrong(q2)})
    attempt.refresh_from_db()
    assert attempt.answers == {str(q1): kb.key(q1), str(q2): kb.wrong(q2)}


def test_tampered_answers_are_dropped(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    q1, q2 = attempt.paper[0]["q"], attempt.paper[1]["q"]
    outside = kb.question(kb.category())
    other_options = kb.key(q2)
    s.attempt_answer(
        world.actor("manager"),
        attempt=attempt,
        answers={outside.pk: kb.key(outside.pk), q1: [*other_options, "x"]},
    )
    attempt.refresh_from_db()
    assert attempt.answers == {str(q1): []}


def test_answers_after_the_deadline_are_ignored(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    q1 = attempt.paper[0]["q"]
    s.attempt_answer(world.actor("manager"), attempt=attempt, answers={q1: kb.key(q1)})
    expire(attempt)

    late = {str(item["q"]): kb.key(item["q"]) for item in attempt.paper}
    with pytest.raises(s.TimeUp):
        s.attempt_answer(world.actor("manager"), attempt=attempt, answers=late)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert attempt.answers == {str(q1): kb.key(q1)}
    assert str(attempt.score) == "16.7"
    assert attempt.submitted_at == attempt.deadline


def test_a_late_hand_in_counts_only_the_answers_saved_in_time(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    expire(attempt)
    done = s.attempt_submit(world.actor("manager"), attempt=attempt, answers=answer_all(attempt, 6))
    assert done.status == AttemptStatus.EXPIRED
    assert str(done.score) == "0.0" and done.passed is False


def test_an_expired_attempt_closes_on_the_next_read(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    expire(attempt)
    response = world.client("manager").get(f"/office/knowledge/attempts/{attempt.code}/")
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    assert "超时自动交卷" in response.content.decode()


def test_the_command_closes_expired_attempts(world: Any) -> None:
    exam = kb.round_exam(world)
    due = start(world, exam)
    expire(due)
    out = io.StringIO()
    call_command("close_expired_attempts", stdout=out)
    due.refresh_from_db()
    assert due.status == AttemptStatus.EXPIRED
    assert "closed 1 attempt" in out.getvalue()
    assert AuditEntry.objects.filter(
        code="knowledge.attempt.expired", object_id=str(due.pk)
    ).exists()
    call_command("close_expired_attempts", stdout=out)
    assert "closed 0 attempt" in out.getvalue()


def exam_round(exam: Any) -> Any:
    from qnwmh.certification.models import CertificationRound

    return CertificationRound.objects.get(code=exam.owner_code)


def test_an_expired_open_attempt_does_not_block_the_retake(world: Any) -> None:
    exam = kb.round_exam(world)
    first = start(world, exam)
    expire(first)
    second = start(world, exam)
    first.refresh_from_db()
    assert first.status == AttemptStatus.EXPIRED and second.number == 2


def test_only_the_taker_answers(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    with pytest.raises(PermissionDenied):
        s.attempt_answer(world.actor("city_admin"), attempt=attempt, answers={})


def test_submitted_attempts_take_no_more_answers(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    s.attempt_submit(world.actor("manager"), attempt=attempt)
    with pytest.raises(DomainError, match="已结束"):
        s.attempt_answer(world.actor("manager"), attempt=attempt, answers={})


# Certification's candidates ------------------------------------------------------------------


def test_only_managers_with_a_live_application_may_sit(world: Any) -> None:
    exam = kb.round_exam(world)
    [candidacy] = candidates(world.actor("manager"), exam)
    assert candidacy.collective == world.collective
    assert [m.pk for m in candidacy.members] == [world.member.pk]  # the leader
    for role in ("body_admin", "outsider", "reviewer"):
        assert candidates(world.actor(role), exam) == []
        with pytest.raises(PermissionDenied):
            start(world, exam, role)
    exam_round(exam).applications.update(status=ApplicationStatus.WITHDRAWN)
    assert candidates(world.actor("manager"), exam) == []


def test_named_members_may_sit_when_the_rules_say_so(world: Any) -> None:
    exam = kb.round_exam(world)
    cycle = exam_round(exam).cycle
    cycle.rules_snapshot = {
        **(cycle.rules_snapshot or {}),
        "knowledge_taker": KnowledgeTaker.MEMBERS,
    }
    cycle.save()
    [candidacy] = candidates(world.actor("manager"), exam)
    assert len(candidacy.members) == world.collective.members.current().count()
    someone = candidacy.members[-1]
    attempt = s.attempt_start(
        world.actor("manager"), exam=exam, collective=world.collective, member=someone
    )
    assert attempt.member == someone and attempt.candidate_name == someone.name


def test_a_member_of_another_collective_is_refused(world: Any) -> None:
    exam = kb.round_exam(world)
    stranger = world.other_collective.members.first()
    with pytest.raises(DomainError, match="由谁"):
        s.attempt_start(
            world.actor("manager"), exam=exam, collective=world.collective, member=stranger
        )


def test_ensure_exam_takes_the_cycles_rules_once(world: Any) -> None:
    r = fcert.cert_round()
    r.cycle.rules_snapshot = {
        **(r.cycle.rules_snapshot or {}),
        "knowledge_pass_score": 75,
        "knowledge_retakes": 2,
        "knowledge_minutes": 45,
    }
    r.cycle.save()
    exam = ensure_exam(system_actor(), r)
    assert (exam.pass_score, exam.retakes, exam.time_limit_minutes) == (75, 2, 45)
    assert timezone.localtime(exam.opens_at).date() == r.test_opens_on
    assert timezone.localtime(exam.closes_at).date() == r.test_closes_on + datetime.timedelta(
        days=1
    )
    assert ensure_exam(system_actor(), r) == exam
    r.refresh_from_db()
    assert r.exam == exam


# The bank --------------------------------------------------------------------------------------


def test_city_admins_keep_the_bank(world: Any) -> None:
    admin = world.actor("city_admin")
    c = s.category_save(admin, name="评选认定")
    q = s.question_create(
        admin,
        category=c,
        kind="multiple",
        stem="哪些属于评分维度？",
        rule_ref="评分细则",
        options=[("基础建设", True), ("岗位技能", True), ("营业收入", False)],
    )
    assert q.options.filter(correct=True).count() == 2
    with pytest.raises(DomainError, match="单选题"):
        s.question_create(
            admin,
            category=c,
            kind="single",
            stem="?",
            rule_ref="x",
            options=[("a", True), ("b", True)],
        )
    with pytest.raises(PermissionDenied):
        s.category_save(world.actor("body_admin"), name="另一类")
    s.question_set_active(admin, question=q, active=False)
    q.refresh_from_db()
    assert q.active is False


def test_a_drawn_questions_content_is_frozen(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    q = Question.objects.get(pk=attempt.paper[0]["q"])
    assert q.drawn
    options = [(o.text, o.correct) for o in q.options.all()]
    fields = {"category": q.category, "kind": q.kind, "rule_ref": "新条款", "options": options}
    s.question_update(world.actor("city_admin"), question=q, stem=q.stem, **fields)
    with pytest.raises(DomainError, match="已被抽入试卷"):
        s.question_update(world.actor("city_admin"), question=q, stem="改过的题干", **fields)
    q.refresh_from_db()
    assert q.rule_ref == "新条款"


def test_exam_settings_refuse_more_questions_than_the_bank_holds(world: Any) -> None:
    exam = kb.round_exam(world)
    c = kb.category(questions=2)
    now = timezone.now()
    with pytest.raises(DomainError, match="不够抽取"):
        s.exam_update(
            world.actor("city_admin"),
            exam=exam,
            category_counts={c.code: 3},
            time_limit_minutes=20,
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
        )
    s.exam_update(
        world.actor("city_admin"),
        exam=exam,
        category_counts={c.code: 2},
        time_limit_minutes=20,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=1),
    )
    exam.refresh_from_db()
    assert exam.category_counts == {c.code: 2} and exam.time_limit_minutes == 20


def test_the_exam_follows_the_rounds_test_dates(world: Any) -> None:
    r = fcert.cert_round()
    exam = ensure_exam(system_actor(), r)
    r.test_closes_on += datetime.timedelta(days=3)
    r.save()
    assert sync_exam_window(system_actor(), r) == exam
    exam.refresh_from_db()
    assert timezone.localtime(exam.closes_at).date() == r.test_closes_on + datetime.timedelta(
        days=1
    )
    assert sync_exam_window(system_actor(), r) == exam  # unchanged: nothing to do


def test_expired_sittings_close_in_the_workers_sweep(world: Any) -> None:
    from qnwmh.core import worker

    assert s.sweep in worker.sweeps
    exam = kb.round_exam(world)
    attempt = start(world, exam)
    expire(attempt)
    assert s.sweep() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_score_is_the_share_of_questions_exactly_right(world: Any, data: Any) -> None:
    c = kb.category()
    for kind in ("single", "multiple", "true_false", "multiple", "single"):
        kb.question(c, kind=kind)
    exam = kb.exam({c: 5})
    attempt = Attempt(exam=exam, paper=draw_paper(exam, data.draw(st.integers(0, 10**9))))
    answers, right = {}, 0
    for item in attempt.paper:
        chosen = sorted(data.draw(st.sets(st.sampled_from(item["o"]))))
        answers[str(item["q"])] = chosen
        right += int(bool(chosen) and set(chosen) == set(kb.key(item["q"])))
    attempt.answers = answers
    result = grade(attempt)
    assert result.score == Decimal(100 * right / 5).quantize(Decimal("0.1"))
    assert result.passed == (right >= 3)
    assert result.per_category[c.code]["correct"] == right
