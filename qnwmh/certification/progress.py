"""Where an application stands beyond its status (认定进展): the knowledge test passed, every
score in, on the shortlist, decided. Each stage is one condition on ``Application`` rows, the
one the applications list filters on (``?progress=``) and the dashboard counts, so the two
can never disagree.

The later stages belong to ``awards`` (the shortlist and the decision), which comes after this
app: it registers its conditions here when it starts (``AwardsConfig.ready``) instead of this
app importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from qnwmh.knowledge.models import Attempt

Condition = Callable[[], Q | Exists]


@dataclass(frozen=True)
class Stage:
    key: str
    label: Any
    condition: Condition


_STAGES: dict[str, Stage] = {}


def register(key: str, label: Any, condition: Condition) -> None:
    _STAGES[key] = Stage(key, label, condition)


def stages() -> list[Stage]:
    """In the order an application goes through them."""
    return list(_STAGES.values())


def choices() -> list[tuple[str, Any]]:
    return [(s.key, s.label) for s in _STAGES.values()]


def condition(key: str) -> Q | Exists:
    return _STAGES[key].condition()


def knowledge_test_passed() -> Exists:
    """The collective passed the round's knowledge test: a graded attempt marked passed, as
    the test column of the list reads it (``knowledge.selectors.results_for``)."""
    return Exists(
        Attempt.objects.filter(
            exam_id=OuterRef("round__exam_id"),
            collective_id=OuterRef("collective_id"),
            passed=True,
            score__isnull=False,
        )
    )


def scored() -> Q:
    """Every score set that weighs is in: the aggregate has a combined score
    (``services.aggregation.combined`` gives one only then)."""
    return Q(result__combined__isnull=False)


register("test_passed", _("知识测试合格"), knowledge_test_passed)
register("scored", _("评分已齐"), scored)
