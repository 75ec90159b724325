"""Sanctions: the only place a title is warned, loses a star or is revoked under oversight.

``propose`` (a body, or the platform after a failed rectification) leaves the decision to the
city; ``confirm`` or ``withdraw`` settle a proposal; ``impose`` is the city's direct act. Each
runs inside the caller's transaction or its own, re-reads the title under a lock and checks the
ladder (``oversight.ladder``) against the title's standing at that moment, so two sanctions
racing on one title cannot both take the same step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.collectives import services as collectives
from qnwmh.collectives.models import Title
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.evidence.services import store_uploads
from qnwmh.oversight import ladder
from qnwmh.oversight.models import (
    SANCTION_TRANSITIONS,
    Basis,
    ExitKind,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from qnwmh.oversight.selectors.standing import standing_of
from qnwmh.oversight.services import exits

# A sanction's evidence (inspectors', the press) stays hidden from the collective's managers
# (registered in OversightConfig.ready).
SANCTION_PURPOSE = "oversight.sanction"
MAX_FILES = 6


def _check(title: Title, kind: str, basis: str, reason: str, category: str) -> None:
    if kind not in SanctionKind.values:
        raise DomainError(_("请选择处理方式。"), field="kind")
    if basis not in Basis.values:
        raise DomainError(_("请选择处理依据。"), field="basis")
    if not reason.strip():
        raise DomainError(_("请填写处理理由。"), field="reason")
    check_text(reason, field="reason")
    if category and category not in RevocationCategory.values:
        raise DomainError(_("撤销原因类别无效。"), field="category")
    refused = ladder.refusal(standing_of(title).standing, title.stars, kind, category)
    if refused:
        raise DomainError(refused, field="kind")


def _new(
    actor: Actor, title: Title, kind: str, basis: str, reason: str, category: str, **refs: Any
) -> Sanction:
    evidence = refs.pop("evidence", ())
    _check(title, kind, basis, reason, category)
    s = Sanction.objects.create(
        title=title,
        collective=title.collective,
        kind=kind,
        basis=basis,
        reason=reason,
        category=category if kind == SanctionKind.REVOCATION else "",
        status=SanctionStatus.PROPOSED,
        proposed_by=actor.user,
        **refs,
    )
    files = store_uploads(
        actor,
        list(evidence),
        collective=title.collective,
        purpose=SANCTION_PURPOSE,
        max_files=MAX_FILES,
    )
    if files:
        s.evidence.set(files)
    return s


@transaction.atomic
def propose(
    actor: Actor,
    *,
    title: Title,
    kind: str,
    basis: str,
    reason: str,
    category: str = "",
    evidence: Iterable[Any] = (),
    **refs: Any,
) -> Sanction:
    """A proposal for the city to confirm. ``evidence``: uploaded files, checked and stored
    with it; ``refs``: case, visit, complaint, rectification, basis_note."""
    require(actor, "oversight.propose_sanction", title.collective)
    title = lock(Title, title.pk)
    if Sanction.objects.filter(title=title, status=SanctionStatus.PROPOSED).exists():
        raise DomainError(_("该称号已有待确认的处理建议，请先确认或撤回。"))
    s = _new(actor, title, kind, basis, reason, category, evidence=evidence, **refs)
    log_action(actor, s, "oversight.sanction.proposed", after=snapshot(s))
    transaction.on_commit(lambda: _tell(s, "oversight.sanction.proposed"))
    return s


@transaction.atomic
def impose(
    actor: Actor,
    *,
    title: Title,
    kind: str,
    basis: str,
    reason: str,
    category: str = "",
    evidence: Iterable[Any] = (),
    **refs: Any,
) -> Sanction:
    """The city's direct act: recorded and applied at once."""
    require(actor, "oversight.impose_sanction", title.collective)
    title = lock(Title, title.pk)
    s = _new(actor, title, kind, basis, reason, category, evidence=evidence, **refs)
    return _apply(actor, s, title, note="")


@transaction.atomic
def confirm(actor: Actor, sanction: Sanction, *, note: str = "") -> Sanction:
    require(actor, "oversight.impose_sanction", sanction.collective)
    title = lock(Title, sanction.title_id)
    s = lock(Sanction, sanction.pk)
    SANCTION_TRANSITIONS.check(s, SanctionStatus.IMPOSED)
    # The standing may have moved since the proposal: check the ladder again now.
    _check(title, s.kind, s.basis, s.reason, s.category)
    return _apply(actor, s, title, note=note)


@transaction.atomic
def withdraw(actor: Actor, sanction: Sanction, *, note: str) -> Sanction:
    require(actor, "oversight.impose_sanction", sanction.collective)
    s = lock(Sanction, sanction.pk)
    if not note.strip():
        raise DomainError(_("请填写撤回理由。"), field="note")
    check_text(note, field="note")
    before = snapshot(s)
    SANCTION_TRANSITIONS.move(s, SanctionStatus.WITHDRAWN)
    s.decided_by, s.decided_at, s.decision_note = actor.user, timezone.now(), note
    s.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log_action(actor, s, "oversight.sanction.withdrawn", before=before, after=snapshot(s))
    transaction.on_commit(lambda: _tell(s, "oversight.sanction.withdrawn", note))
    return s


def _apply(actor: Actor, s: Sanction, title: Title, *, note: str) -> Sanction:
    """Impose ``s`` on the locked ``title``: a star down changes the stars, a revocation ends
    the title through an exit."""
    before = snapshot(s)
    s.stars_before = title.stars
    if s.kind == SanctionKind.STAR_DOWN:
        if title.stars <= 0:
            raise DomainError(_("该称号已无星级可降。"), field="kind")
        collectives.title_set_stars(actor, title=title, stars=title.stars - 1, reason=s.reason)
        s.stars_after = title.stars - 1
    else:
        s.stars_after = title.stars
    SANCTION_TRANSITIONS.move(s, SanctionStatus.IMPOSED)
    s.decided_by, s.decided_at, s.decision_note = actor.user, timezone.now(), note
    s.save()
    log_action(actor, s, "oversight.sanction.imposed", before=before, after=snapshot(s))
    if s.kind == SanctionKind.REVOCATION:
        kind = (
            ExitKind.FAILED_REVIEW
            if s.category == RevocationCategory.FAILED_REVIEW
            else ExitKind.REVOKED
        )
        exits.end_title(
            actor,
            title=title,
            kind=kind,
            reason=s.reason,
            sanction=s,
            case=s.case,
        )
    transaction.on_commit(lambda: _tell(s, "oversight.sanction.imposed"))
    return s


def _tell(s: Sanction, code: str, reason: str = "") -> None:
    from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify

    c = s.collective
    params = {
        "c": c.name,
        "level": s.title.get_level_display(),
        "kind": SanctionKind(s.kind).label,
        "reason": (reason or s.reason)[:120],
    }
    if code == "oversight.sanction.proposed":
        recipients = city_admins()
    else:
        recipients = [*collective_managers(c.id), *body_admins(c.body_id)]
    notify(recipients, code=code, params=params)
