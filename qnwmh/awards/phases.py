"""What the awards refuse about earlier stages' moves.

- The cycle may not close while its shortlist still has collectives waiting for a decision
  (listed, not yet decided or removed) unless city staff force it with a reason: closing
  would leave them neither titled nor refused.
- A round's scoring may not reopen once its shortlist is frozen: the shortlist keeps the
  scores it was ranked on, and new scores under it would make the two disagree."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qnwmh.awards.models import EntryStatus, Shortlist, ShortlistEntry
from qnwmh.certification.models import CertificationRound, RoundStatus
from qnwmh.certification.services.round import register_move_veto
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


def _frozen_round_stays_closed(r: CertificationRound, to: str) -> None:
    if to == RoundStatus.REVIEW and Shortlist.objects.filter(round=r).exists():
        raise DomainError(_("本轮拟认定名单已经确定，不能重新开放评分。"))


_registered: list[phases.PhaseHooks] = []


def register_phase_hooks() -> None:
    """Called from ``AwardsConfig.ready``; a second call changes nothing."""
    if not _registered:
        _registered.append(phases.register(Phase.CLOSED, veto=_undecided_blocks_closing))
        register_move_veto(_frozen_round_stays_closed)
