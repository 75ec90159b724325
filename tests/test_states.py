"""One state-machine idiom (qnwmh.core.states) and the hooks a cycle's phase change consults
(qnwmh.cycles.phases): a later app can refuse or react to entering a phase without cycles
importing it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from qnwmh.audit.models import AuditEntry
from qnwmh.core.errors import DomainError
from qnwmh.core.states import Transitions
from qnwmh.cycles import phases, services
from qnwmh.cycles.models import PHASE_TRANSITIONS, Cycle, Phase
from qnwmh.cycles.services.cycle import register_phase_hooks
from qnwmh.supervision.models import COMPLAINT_TRANSITIONS, Status
from tests import factories_cycles as fc

# The idiom --------------------------------------------------------------------------------


def test_a_table_names_both_states_by_label_when_it_refuses() -> None:
    cycle = SimpleNamespace(phase=Phase.DRAFT)
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        PHASE_TRANSITIONS.check(cycle, Phase.CREATION)
    assert str(refused.value) == "不能从“筹备中”转到“创建阶段”。"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        PHASE_TRANSITIONS.check(cycle, Phase.CREATION)
    english = str(refused.value)
    assert english.startswith("Cannot move from “") and "筹备中" not in english


def test_move_sets_the_field_and_next_states_follow_the_choices_order() -> None:
    cycle = SimpleNamespace(phase=Phase.CERTIFICATION)
    assert [v for v, _label in PHASE_TRANSITIONS.next_states(cycle)] == [
        Phase.CREATION,
        Phase.CLOSED,
    ]
    PHASE_TRANSITIONS.move(cycle, Phase.CLOSED)
    assert cycle.phase == Phase.CLOSED
    assert PHASE_TRANSITIONS.next_states(cycle) == []


def test_a_table_refuses_states_its_choices_do_not_have() -> None:
    with pytest.raises(ValueError):
        Transitions(Phase, {Phase.DRAFT: {"nowhere"}}, field="phase")


def test_named_actions_keep_who_may_do_what_apart() -> None:
    complaint = SimpleNamespace(status=Status.NOT_SUBSTANTIATED)
    # staff close only a replied complaint; the filer's verdict also closes this one
    assert not COMPLAINT_TRANSITIONS.can_do(complaint, "close")
    assert COMPLAINT_TRANSITIONS.can_do(complaint, "filer_satisfied")
    with translation.override("zh-hans"), pytest.raises(DomainError, match="经查不属实"):
        COMPLAINT_TRANSITIONS.apply(complaint, "close")
    COMPLAINT_TRANSITIONS.apply(complaint, "filer_unsatisfied")
    assert complaint.status == Status.INVESTIGATING
    # an action without a target checks the state and leaves it
    COMPLAINT_TRANSITIONS.apply(complaint, "assign")
    assert complaint.status == Status.INVESTIGATING


# Phase hooks ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_registered_hook_vetoes_and_reacts_to_entering_its_phase(world: Any) -> None:
    city = world.actor("city_admin")
    cycle = fc.cycle(phase=Phase.CREATION)
    seen: list[tuple[str, str, bool]] = []
    panels_ready = False

    def veto(move: phases.PhaseMove) -> None:
        if not panels_ready and not move.force:
            raise DomainError("评审组尚未组建。")

    def on_enter(move: phases.PhaseMove) -> None:
        seen.append((move.source, move.to, move.backward))
        move.warnings.append("已通知评审组。")
        move.later(lambda: seen.append(("after", move.cycle.phase, False)))

    hooks = phases.register(Phase.CERTIFICATION, veto=veto, on_enter=on_enter)
    try:
        with pytest.raises(DomainError, match="评审组尚未组建"):
            services.cycle_move(city, cycle=cycle, to=Phase.CERTIFICATION)
        assert Cycle.objects.get(pk=cycle.pk).phase == Phase.CREATION
        assert seen == []

        panels_ready = True
        change = services.cycle_move(city, cycle=cycle, to=Phase.CERTIFICATION)
        assert change.cycle.phase == Phase.CERTIFICATION
        assert seen == [
            (Phase.CREATION, Phase.CERTIFICATION, False),
            ("after", Phase.CERTIFICATION, False),
        ]
        assert change.warnings == ["已通知评审组。"]
        entry = AuditEntry.objects.filter(code="cycles.cycle.phase_changed").latest("pk")
        assert entry.data["warnings"] == ["已通知评审组。"]

        # hooks for another phase are not asked
        seen.clear()
        services.cycle_move(city, cycle=cycle, to=Phase.CLOSED)
        assert seen == []
    finally:
        phases.unregister(hooks)
    assert hooks not in phases.hooks_for(Phase.CERTIFICATION)


@pytest.mark.django_db
def test_the_cycles_own_phase_rules_are_hooks(world: Any) -> None:
    registered = {h.phase for h in phases.hooks_for(Phase.REGISTRATION_CLOSED)}
    assert Phase.REGISTRATION_CLOSED in registered
    count = len(phases.hooks_for(Phase.CLOSED))
    register_phase_hooks()  # a second AppConfig.ready registers nothing twice
    assert len(phases.hooks_for(Phase.CLOSED)) == count
    city = world.actor("city_admin")
    cycle = fc.cycle(phase=Phase.CERTIFICATION)
    change = services.cycle_move(city, cycle=cycle, to=Phase.CLOSED)
    assert change.cycle.closed_at is not None
