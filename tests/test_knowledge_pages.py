"""Knowledge-test pages: the sitting through the browser's forms (start, paper, answers saved
as one goes, hand in, result), the bank's forms and the exam settings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qnwmh.knowledge.models import Attempt, AttemptStatus, Category, Option, Question
from tests import knowledge_builders as kb


def _start(world: Any, exam: Any) -> Attempt:
    client = world.client("manager")
    response = client.post(
        reverse("knowledge:start", args=[exam.code]),
        {"sitter": f"{world.collective.pk}:{world.member.pk}", "confirmed": "1"},
    )
    attempt = Attempt.objects.get(exam=exam)
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:attempt", args=[attempt.code])
    return attempt


def test_the_exam_page_offers_the_leader_to_sit(world: Any) -> None:
    exam = kb.round_exam(world)
    html = world.client("manager").get(reverse("knowledge:exam", args=[exam.code])).content.decode()
    assert world.member.name in html
    assert "开始答题" in html
    assert exam.name in world.client("manager").get(reverse("knowledge:exams")).content.decode()


def test_the_exam_page_leads_back_to_a_sitting_under_way(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = _start(world, exam)
    html = world.client("manager").get(reverse("knowledge:exam", args=[exam.code])).content.decode()
    assert "继续答题" in html and reverse("knowledge:attempt", args=[attempt.code]) in html
    assert "开始答题" not in html


def test_the_paper_never_holds_the_answer_key(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = _start(world, exam)
    response = world.client("manager").get(reverse("knowledge:attempt", args=[attempt.code]))
    html = response.content.decode()
    assert response.templates[0].name == "knowledge/paper.html"
    for item in response.context["items"]:
        assert not hasattr(item, "correct") and item.right is None
    assert "correct" not in html and "正确答案" not in html
    # every option shown, in the drawn order
    for item in attempt.paper:
        positions = [html.index(f'value="{oid}"') for oid in item["o"]]
        assert positions == sorted(positions)


def test_a_sitting_through_the_pages(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = _start(world, exam)
    client = world.client("manager")
    first, rest = attempt.paper[0]["q"], attempt.paper[1:]

    saved = client.post(
        reverse("knowledge:answer", args=[attempt.code]),
        {f"q{first}": kb.key(first)},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    assert "已答 1 / 6 题" in saved.content.decode()

    answers = {f"q{item['q']}": kb.key(item["q"]) for item in rest}
    answers[f"q{first}"] = kb.key(first)
    asked = client.post(reverse("knowledge:submit", args=[attempt.code]), answers)
    assert "交卷后不能再修改" in asked.content.decode()  # without JavaScript the server asks
    assert Attempt.objects.get(pk=attempt.pk).status == AttemptStatus.OPEN
    answers["confirmed"] = "1"
    done = client.post(reverse("knowledge:submit", args=[attempt.code]), answers, follow=True)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and str(attempt.score) == "100.0"
    html = done.content.decode()
    assert "各类别得分" in html and "合格" in html
    # the result page cites each question's rule but never lists the key
    assert "实施意见 三" in html
    # once handed in, the paper's form is gone
    assert reverse("knowledge:answer", args=[attempt.code]) not in html


def test_clearing_a_choice_counts(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = _start(world, exam)
    client = world.client("manager")
    q = attempt.paper[0]["q"]
    url = reverse("knowledge:answer", args=[attempt.code])
    client.post(url, {f"q{q}": kb.key(q)})
    client.post(url, {})
    attempt.refresh_from_db()
    assert attempt.answers[str(q)] == []


def test_a_late_answer_sends_the_candidate_to_the_result(world: Any) -> None:
    exam = kb.round_exam(world)
    attempt = _start(world, exam)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.started_at)
    q = attempt.paper[0]["q"]
    response = world.client("manager").post(
        reverse("knowledge:answer", args=[attempt.code]),
        {f"q{q}": kb.key(q)},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == reverse("knowledge:attempt", args=[attempt.code])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.answers == {}


def test_adding_and_editing_a_question(world: Any) -> None:
    client = world.client("city_admin")
    category = kb.category(name="创建周期")
    response = client.post(
        reverse("knowledge:question_create"),
        {
            "category": category.pk,
            "kind": "true_false",
            "stem": "青年文明号创建周期为两年。",
            "rule_ref": "中山市实施意见 三、（一）",
            "correct": ["A"],
        },
    )
    question = Question.objects.get(stem="青年文明号创建周期为两年。")
    assert response.status_code == 302
    assert list(question.options.values_list("text", "correct")) == [
        ("正确", True),
        ("错误", False),
    ]

    edit = reverse("knowledge:question", args=[question.code])
    page = client.get(edit).content.decode()
    assert "青年文明号创建周期为两年。" in page
    response = client.post(
        edit,
        {
            "category": category.pk,
            "kind": "single",
            "stem": "青年文明号创建周期为几年？",
            "rule_ref": "中山市实施意见 三、（一）",
            "option_a": "一年",
            "option_b": "两年",
            "correct": ["B"],
        },
    )
    assert response.status_code == 302
    assert list(
        Option.objects.filter(question=question, correct=True).values_list("text", flat=True)
    ) == ["两年"]

    refused = client.post(
        edit,
        {
            "category": category.pk,
            "kind": "single",
            "stem": "?",
            "rule_ref": "x",
            "option_a": "a",
            "correct": ["A"],
        },
    )
    assert refused.status_code == 200
    assert "至少需要两个选项" in refused.content.decode()


def test_categories_and_the_bank_list(world: Any) -> None:
    client = world.client("city_admin")
    client.post(reverse("knowledge:categories"), {"name": "监督管理", "sort_order": 3})
    category = Category.objects.get(name="监督管理")
    kb.question(category, stem="投诉处理时限是多少？")
    html = client.get(reverse("knowledge:bank"), {"category": category.code}).content.decode()
    assert "投诉处理时限是多少？" in html
    html = client.get(reverse("knowledge:bank"), {"q": "不存在的题"}).content.decode()
    assert "投诉处理时限是多少？" not in html


def test_exam_settings_page(world: Any) -> None:
    exam = kb.round_exam(world)
    categories = Category.objects.all()
    client = world.client("city_admin")
    assert client.get(reverse("knowledge:exam_settings", args=[exam.code])).status_code == 200
    data = {f"count_{c.code}": 2 for c in categories}
    data.update(time_limit_minutes=15, opens_at="2026-01-01T08:00", closes_at="2030-01-01T08:00")
    response = client.post(reverse("knowledge:exam_settings", args=[exam.code]), data)
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.time_limit_minutes == 15 and set(exam.category_counts.values()) == {2}


def test_the_home_page_reminds_the_manager_until_the_test_is_passed(world: Any) -> None:
    from qnwmh.knowledge.home import tasks

    exam = kb.round_exam(world)
    [task] = tasks(world.actor("manager"))
    assert task.count == 1 and task.url == reverse("knowledge:exam", args=[exam.code])
    assert tasks(world.actor("body_admin")) == []
    html = world.client("manager").get(reverse("core:home")).content.decode()
    assert "待参加的知识测试" in html
    attempt = _start(world, exam)
    answers = {f"q{i['q']}": kb.key(i["q"]) for i in attempt.paper}
    world.client("manager").post(
        reverse("knowledge:submit", args=[attempt.code]), {**answers, "confirmed": "1"}
    )
    assert tasks(world.actor("manager")) == []
