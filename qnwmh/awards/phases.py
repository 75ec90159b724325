"""The cycle may not close while its shortlist still has collectives waiting for a decision
(listed, not yet decided or removed) unless city staff force it with a reason: closing would
leave them neither titled nor refused."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qnwmh.awards.models import EntryStatus, ShortlistEntry
from qnwmh.core.errors import DomainError
from qnwmh.cycles import phases
from qnwmh.cycles.models import Phase


def _undecided_blocks_closing(move: phases.PhaseMove) -> None:
    if move.force:
        return
    waiting = ShortlistEntry.objects.filter(
        shortlist__round__cycle=move.cycle, status=EntryStatus.LISTED
    ).count()
    if waiting:
        raise DomainError(
            _(
                "拟认定名单中还有 %(n)s 个集体尚未作出认定决定，不能结束周期"
                "（如确需结束，请勾选强制并填写原因）。"
            )
            % {"n": waiting}
        )


_registered: list[phases.PhaseHooks] = []


def register_phase_hooks() -> None:
    """Called from ``AwardsConfig.ready``; a second call changes nothing."""
    if not _registered:
        _registered.append(phases.register(Phase.CLOSED, veto=_undecided_blocks_closing))
