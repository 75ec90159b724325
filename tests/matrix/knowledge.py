"""Knowledge test: city admins keep the bank and the exams' settings; a round's exam is seen
by city admins and its candidates (managers of collectives applying in the round), 404 to the
rest; a sitting is answered by its taker only."""

from typing import Any

from qnwmh.knowledge import services
from tests import factories as f
from tests import knowledge_builders as kb
from tests.matrix import LOGIN, Row, expect

CITY = expect(403, anonymous=LOGIN, city_admin=200)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302)


def _question(w: Any) -> dict[str, str]:
    return {"code": kb.question(kb.category()).code}


def _exam(w: Any) -> dict[str, str]:
    return {"code": kb.round_exam(w).code}


def _attempt(w: Any) -> dict[str, str]:
    exam = kb.round_exam(w)
    manager = f.actor(w.users["manager"])
    attempt = services.attempt_start(manager, exam=exam, collective=w.collective, member=w.member)
    return {"code": attempt.code}


def _sitter(w: Any) -> dict[str, str]:
    return {"sitter": f"{w.collective.pk}:{w.member.pk}", "confirmed": "1"}


ROWS = [
    Row("knowledge:bank", CITY, permission="knowledge.manage_bank"),
    Row(
        "knowledge:bank",
        CITY,
        query="?category=zzz&kind=single&active=all&q=%E5%88%9B%E5%BB%BA",
        label="filtered",
        permission="knowledge.manage_bank",
    ),
    Row(
        "knowledge:bank",
        CITY,
        query="?format=xlsx",
        label="xlsx",
        permission="knowledge.manage_bank",
    ),
    Row("knowledge:bank_template", CITY, permission="knowledge.manage_bank"),
    Row("knowledge:bank_import", CITY, permission="knowledge.manage_bank"),
    Row("knowledge:question_create", CITY, permission="knowledge.manage_bank"),
    Row("knowledge:categories", CITY, permission="knowledge.manage_bank"),
    Row(
        "knowledge:categories",
        CITY_POST,
        method="post",
        data=lambda w: {"name": "矩阵类别", "sort_order": 1},
        label="add",
        permission="knowledge.manage_bank",
    ),
    Row(
        "knowledge:category",
        CITY,
        kwargs=lambda w: {"code": kb.category().code},
        permission="knowledge.manage_bank",
    ),
    Row("knowledge:question", CITY, kwargs=_question, permission="knowledge.manage_bank"),
    Row(
        "knowledge:question_active",
        CITY_POST,
        method="post",
        kwargs=_question,
        data=lambda w: {"active": "0", "confirmed": "1"},
        permission="knowledge.manage_bank",
    ),
    Row(
        "knowledge:exams",
        expect(403, anonymous=LOGIN, city_admin=200, manager=200),
        permission="knowledge.view_exams",
    ),
    Row(
        "knowledge:exam",
        expect(404, anonymous=LOGIN, city_admin=200, manager=200),
        kwargs=_exam,
        permission=None,
    ),
    Row(
        "knowledge:exam_settings",
        expect(404, anonymous=LOGIN, city_admin=200, manager=403),
        kwargs=_exam,
        permission="knowledge.manage_exams",
    ),
    Row(
        "knowledge:start",
        expect(404, anonymous=LOGIN, city_admin=403, manager=302),
        method="post",
        kwargs=_exam,
        data=_sitter,
        permission="knowledge.sit",
    ),
    Row(
        "knowledge:attempt",
        expect(404, anonymous=LOGIN, city_admin=200, manager=200),
        kwargs=_attempt,
        permission=None,
    ),
    Row(
        "knowledge:answer",
        expect(404, anonymous=LOGIN, city_admin=403, manager=302),
        method="post",
        kwargs=_attempt,
        permission="knowledge.answer",
    ),
    Row(
        "knowledge:submit",
        expect(404, anonymous=LOGIN, city_admin=403, manager=302),
        method="post",
        kwargs=_attempt,
        data=lambda w: {"confirmed": "1"},
        permission="knowledge.answer",
    ),
]
