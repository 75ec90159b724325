"""Exits recorded by hand — a collective dissolved or merged away — and the recovery of an
ended title's plaque (牌匾收回). Revocations are not recorded here: they come from a sanction
(``services.sanctions``), which calls ``exits.end_title`` itself."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.oversight.models import Exit, ExitKind
from qnwmh.oversight.services.exits import end_title

# What a clerk records directly; a revocation goes through a sanction and its ladder.
MANUAL_KINDS = (ExitKind.DISSOLVED, ExitKind.MERGED)


@transaction.atomic
def record_exit(
    actor: Actor, *, title: Title, kind: str, reason: str, on: datetime.date | None = None
) -> Exit:
    """End ``title`` because its collective was dissolved or merged (the title expires)."""
    require(actor, "oversight.record_exit", title.collective)
    if kind not in MANUAL_KINDS:
        raise DomainError(
            _("此处只能登记集体撤并解散或合并；撤销称号须通过处理（警告、降星、撤销）办理。"),
            field="kind",
        )
    if Exit.objects.filter(title=title).exists():
        raise DomainError(_("该称号已登记退出。"))
    return end_title(actor, title=title, kind=kind, reason=reason, on=on)


@transaction.atomic
def record_plaque(actor: Actor, exit_: Exit, *, on: datetime.date, note: str = "") -> Exit:
    """Record (or correct) the date the plaque was taken back and how."""
    require(actor, "oversight.record_exit", exit_.collective)
    e = lock(Exit, exit_.pk)
    if on is None:
        raise DomainError(_("请填写牌匾收回日期。"), field="on")
    if on > timezone.localdate():
        raise DomainError(_("牌匾收回日期不能晚于今天。"), field="on")
    if on < e.on:
        raise DomainError(
            _("牌匾收回日期不能早于退出日期（%(d)s）。") % {"d": e.on.isoformat()}, field="on"
        )
    note = (note or "").strip()
    check_text(note, field="note")
    if len(note) > 300:
        raise DomainError(_("收回情况不能超过 300 字。"), field="note")
    before = snapshot(e)
    e.plaque_recovered_on = on
    e.plaque_note = note
    e.save(update_fields=["plaque_recovered_on", "plaque_note"])
    log_action(actor, e, "oversight.exit.plaque_recovered", before=before, after=snapshot(e))
    return e
