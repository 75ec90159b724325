"""The sanctions ladder (警告提醒 → 调整星级 → 撤销) as data: a title's standing, and which
sanction may come next from it. A pure module: the services and the pages ask it, and it
decides nothing from the database.

A title starts in good standing; each imposed sanction moves it one step. A passed re-review
after a sanction puts it back in good standing (the sanction stays in its history). Revocation
may skip the ladder only for the categories in ``SKIPS_LADDER``: the grave ones the rules list
(breach of law or discipline, a major liability accident, verified press exposure) and a
failed review or rectification, which the policy ends with exit (退出) outright.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qnwmh.oversight.models import GRAVE, RevocationCategory, SanctionKind


class Standing(models.TextChoices):
    GOOD = "good", _("正常")
    WARNED = "warned", _("已警告提醒")
    STARS_REDUCED = "stars_reduced", _("已调整星级")
    REVOKED = "revoked", _("已撤销")
    ENDED = "ended", _("已终止")


# The standing each imposed kind leads to, and the one kind each standing may take next.
AFTER = {
    SanctionKind.WARNING: Standing.WARNED,
    SanctionKind.STAR_DOWN: Standing.STARS_REDUCED,
    SanctionKind.REVOCATION: Standing.REVOKED,
}
NEXT_STEP = {
    Standing.GOOD: SanctionKind.WARNING,
    Standing.WARNED: SanctionKind.STAR_DOWN,
    Standing.STARS_REDUCED: SanctionKind.REVOCATION,
}
SKIPS_LADDER = GRAVE | {
    RevocationCategory.FAILED_REVIEW,
    RevocationCategory.FAILED_RECTIFICATION,
}


def next_step(standing: str, stars: int) -> str | None:
    """The ladder's next sanction for a title in ``standing`` with ``stars`` stars (a title
    with no star left to take goes from a warning straight to revocation); None when ended."""
    step = NEXT_STEP.get(Standing(standing)) if standing in Standing.values else None
    if step == SanctionKind.STAR_DOWN and stars <= 0:
        return SanctionKind.REVOCATION
    return step


def refusal(standing: str, stars: int, kind: str, category: str = "") -> str | None:
    """Why ``kind`` (with ``category`` for a revocation) may not be imposed now, or None."""
    if standing in (Standing.REVOKED, Standing.ENDED):
        return str(_("该称号已终止，不能再作处理。"))
    if kind == SanctionKind.REVOCATION:
        if not category:
            return str(_("撤销称号须选择撤销原因类别。"))
        if category in SKIPS_LADDER:
            return None
    elif category:
        return str(_("只有撤销称号才填写撤销原因类别。"))
    step = next_step(standing, stars)
    if kind == step:
        return None
    return str(
        _("按“警告提醒、调整星级、撤销”的处理顺序，该称号（%(standing)s）下一步应为“%(next)s”。")
        % {"standing": Standing(standing).label, "next": SanctionKind(step).label if step else ""}
    )


def allowed_kinds(standing: str, stars: int) -> list[str]:
    """The kinds a form may offer: the ladder's next step, and revocation (which then needs a
    category that skips the ladder unless it is the next step)."""
    step = next_step(standing, stars)
    if step is None:
        return []
    return sorted({step, SanctionKind.REVOCATION}, key=list(SanctionKind.values).index)
