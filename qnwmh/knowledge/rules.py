"""Permissions over the question bank, exams and attempts. City admins keep the bank and the
exams' settings; who may sit an exam is the owning app's answer (``purposes``)."""

from __future__ import annotations

from typing import Any

from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule
from qnwmh.knowledge import purposes
from qnwmh.knowledge.models import Attempt, Exam


@rule("knowledge.manage_bank", target=None)
def _manage_bank(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("knowledge.manage_exams", target=Exam | None)
def _manage_exams(actor: Actor, exam: Any) -> bool:
    return actor.is_city_admin


@rule("knowledge.sit", target=Exam)
def _sit(actor: Actor, exam: Any) -> bool:
    return bool(purposes.candidates_for(actor, exam))


@rule("knowledge.answer", target=Attempt)
def _answer(actor: Actor, attempt: Any) -> bool:
    """Only the account that started a sitting answers it."""
    return actor.user is not None and attempt.taker_id == actor.user.pk


@rule("knowledge.view_exams", target=None)
def _view_exams(actor: Actor, obj: Any) -> bool:
    """The exams page: city staff, and managers (who may be candidates)."""
    return actor.is_city_admin or actor.is_collective_manager
