"""League support (团建工作支持情况): the managing body's figures and score per recommended
application, editable until the round's shortlist is frozen (the ranking reads it live)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.models import LeagueSupport, Shortlist
from qnwmh.certification.models import Application, ApplicationStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text

# The figures a body enters (key -> label); all whole numbers, none required.
FIGURES = {
    "league_members": gettext_lazy("团员人数"),
    "league_activities": gettext_lazy("本周期开展团的活动次数"),
    "dues_on_time_pct": gettext_lazy("按时交纳团费的团员比例（%）"),
}
_SNAP = ["score", "figures", "reason"]


def _clean_figures(figures: dict[str, Any]) -> dict[str, int]:
    out = {}
    for key, value in figures.items():
        if key not in FIGURES:
            raise DomainError(_("未知的团建工作指标：%(k)s") % {"k": key}, field="figures")
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DomainError(
                _("%(label)s须为不小于 0 的整数。") % {"label": FIGURES[key]}, field=key
            )
        if key == "dues_on_time_pct" and value > 100:
            raise DomainError(_("比例不能超过 100%。"), field=key)
        out[key] = value
    return out


@transaction.atomic
def save(
    actor: Actor,
    application: Application,
    *,
    score: Decimal,
    reason: str,
    figures: dict[str, Any] | None = None,
) -> LeagueSupport:
    """Enter or change the league-support score of a recommended application."""
    require(actor, "awards.enter_league_support", application)
    app = lock(Application, application.pk)
    if Shortlist.objects.filter(round_id=app.round_id).exists():
        raise DomainError(_("本轮拟认定名单已经确定，团建工作支持情况不能再修改。"))
    if app.status != ApplicationStatus.RECOMMENDED:
        raise DomainError(_("只有已推荐的申报才填写团建工作支持情况。"))
    if not Decimal(0) <= score <= Decimal(100):
        raise DomainError(_("团建工作得分须在 0 至 100 之间。"), field="score")
    if not reason.strip():
        raise DomainError(_("请填写评分理由。"), field="reason")
    check_text(reason, field="reason")
    clean = _clean_figures(figures or {})
    existing = LeagueSupport.objects.filter(application=app).first()
    if existing is None:
        support = LeagueSupport.objects.create(
            application=app,
            score=score,
            figures=clean,
            reason=reason,
            entered_by=actor.user,  # type: ignore[misc]  # require() has refused anonymous
        )
        log_action(actor, support, "awards.league_support.entered", after=snapshot(support, _SNAP))
        return support
    before = snapshot(existing, _SNAP)
    existing.score, existing.figures, existing.reason = score, clean, reason
    existing.entered_by = actor.user  # type: ignore[assignment]
    existing.entered_at = timezone.now()
    existing.save()
    log_action(
        actor,
        existing,
        "awards.league_support.changed",
        before=before,
        after=snapshot(existing, _SNAP),
    )
    return existing
