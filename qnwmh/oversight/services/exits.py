"""Exit (退出): the one way a title ends under oversight. Revocation and a failed review end
it as revoked (which bars the collective from the next registration, ``cycles`` enforces it);
dissolution and merger end it as expired. One transaction (the caller's, when there is one)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives import services as collectives
from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.oversight.models import (
    REVOKING_EXITS,
    Exit,
    ExitKind,
    ReviewCase,
    RevocationCategory,
    Sanction,
)


@transaction.atomic
def end_title(
    actor: Actor,
    *,
    title: Title,
    kind: str,
    reason: str,
    on: datetime.date | None = None,
    sanction: Sanction | None = None,
    case: ReviewCase | None = None,
) -> Exit:
    """End ``title`` for ``kind`` with ``reason`` and record the exit; the managers and the
    body are told after commit."""
    require(actor, "oversight.record_exit", title.collective)
    if kind not in ExitKind.values:
        raise DomainError(_("请选择退出方式。"), field="kind")
    if not reason.strip():
        raise DomainError(_("请填写退出原因。"), field="reason")
    check_text(reason, field="reason")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("退出日期不能晚于今天。"), field="on")
    # The title keeps the category with its reason (the registration bar quotes it); the exit
    # keeps the reason alone, its category is the sanction's.
    ended = reason
    if sanction is not None and sanction.category:
        ended = f"{RevocationCategory(sanction.category).label}：{reason}"
    end = collectives.title_revoke if kind in REVOKING_EXITS else collectives.title_expire
    title = end(actor, title=title, reason=ended[:200], on=on)
    exit_ = Exit.objects.create(
        title=title,
        collective=title.collective,
        kind=kind,
        reason=reason,
        on=on,
        sanction=sanction,
        case=case,
        recorded_by=actor.clerk,
    )
    log_action(actor, exit_, "oversight.exit.recorded", after=snapshot(exit_))
    if sanction is None:  # a sanction's own notice already says the title is revoked
        transaction.on_commit(lambda: _tell(exit_))
    return exit_


def _tell(exit_: Exit) -> None:
    from qnwmh.notices.services import body_admins, collective_managers, notify

    c = exit_.collective
    params = {
        "c": c.name,
        "level": exit_.title.get_level_display(),
        "kind": ExitKind(exit_.kind).label,
        "reason": exit_.reason[:120],
    }
    notify(
        [*collective_managers(c.id), *body_admins(c.body_id)],
        code="oversight.exit.recorded",
        params=params,
    )
