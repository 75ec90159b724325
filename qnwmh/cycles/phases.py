"""What entering a cycle's phase checks and does, registered by the apps that care.

``cycles.services.cycle_move`` checks the move against ``PHASE_TRANSITIONS`` and then asks
every hook registered for the phase being entered, so a later stage (certification) can refuse
or react to its phase without ``cycles`` importing it. Register from ``AppConfig.ready``::

    from qnwmh.cycles import phases
    from qnwmh.cycles.models import Phase

    phases.register(Phase.CERTIFICATION, veto=panels_ready, on_enter=open_scoring)

- ``veto(move)`` raises ``DomainError`` (translated message) to refuse the move; every veto
  runs before any ``on_enter``. A veto that work left undone may be overridden honours
  ``move.force`` (the city admin ticked "force" and gave a reason).
- ``on_enter(move)`` runs inside the move's transaction, before the new phase is saved; it may
  change ``move.cycle`` (saved afterwards), add to ``move.warnings`` (shown and audited) and
  defer work to after the change is audited and announced with ``move.later(fn)``.

Hooks run in the order registered (``cycles`` registers its own first, in its ``ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from qnwmh.core.actor import Actor


@dataclass
class PhaseMove:
    """One phase change being made: what the hooks see."""

    actor: Actor
    cycle: Any  # cycles.models.Cycle, locked
    source: str
    to: str
    backward: bool
    force: bool
    reason: str
    warnings: list[Any] = field(default_factory=list)
    afterwards: list[Callable[[], object]] = field(default_factory=list)

    def later(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` once the change is saved, audited and announced (same transaction)."""
        self.afterwards.append(fn)


Hook = Callable[[PhaseMove], None]


@dataclass(frozen=True, eq=False)
class PhaseHooks:
    phase: str | None  # None: every phase
    veto: Hook | None = None
    on_enter: Hook | None = None


_hooks: list[PhaseHooks] = []


def register(
    phase: str | None = None, *, veto: Hook | None = None, on_enter: Hook | None = None
) -> PhaseHooks:
    """Consult ``veto`` and run ``on_enter`` whenever a cycle enters ``phase`` (any phase if
    ``None``). Returns the registration, to pass to ``unregister``."""
    if veto is None and on_enter is None:
        raise ValueError("register a veto, an on_enter hook or both")
    hooks = PhaseHooks(phase=None if phase is None else str(phase), veto=veto, on_enter=on_enter)
    _hooks.append(hooks)
    return hooks


def unregister(hooks: PhaseHooks) -> None:
    _hooks.remove(hooks)


def hooks_for(phase: str) -> list[PhaseHooks]:
    return [h for h in _hooks if h.phase is None or h.phase == phase]


def enter(move: PhaseMove) -> None:
    """Consult every veto for ``move.to``, then run every ``on_enter`` hook."""
    hooks = hooks_for(move.to)
    for h in hooks:
        if h.veto is not None:
            h.veto(move)
    for h in hooks:
        if h.on_enter is not None:
            h.on_enter(move)


def finish(move: PhaseMove) -> None:
    """Run the work the hooks deferred with ``move.later``."""
    for fn in move.afterwards:
        fn()
