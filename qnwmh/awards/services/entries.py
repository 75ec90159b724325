"""Moving a shortlist entry off the list, or a reserve onto it: the two acts every later
step (inspection, objections, the city's audit) shares. Callers hold the transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.caps import caps_for
from qnwmh.awards.models import ENTRY_TRANSITIONS, EntryStatus, Shortlist, ShortlistEntry
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text

# Places a body's entries hold against its cap.
HOLDING = (EntryStatus.LISTED, EntryStatus.DECIDED)


def remove(actor: Actor, entry: ShortlistEntry, *, kind: str, reason: str) -> ShortlistEntry:
    """Take a listed entry off the shortlist (its place stays empty until a move-up)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("remove() must run inside the caller's transaction")
    if not reason.strip():
        raise DomainError(_("请填写移出原因。"), field="reason")
    check_text(reason, field="reason")
    entry = lock(ShortlistEntry, entry.pk)
    ENTRY_TRANSITIONS.check(entry, EntryStatus.REMOVED)
    before = snapshot(entry, ["status"])
    entry.status = EntryStatus.REMOVED
    entry.removal_kind = kind
    entry.removal_reason = reason
    entry.removed_at = timezone.now()
    entry.save(update_fields=["status", "removal_kind", "removal_reason", "removed_at"])
    log_action(
        actor,
        entry,
        "awards.entry.removed",
        before=before,
        after=snapshot(entry, ["status"]),
        data={"kind": kind, "reason": reason},
    )
    return entry


@transaction.atomic
def move_up(actor: Actor, entry: ShortlistEntry, *, reason: str) -> ShortlistEntry:
    """City staff put a reserve on the list, only when its body has a free place under the
    cap (a removed entry freed it). The body's caps are re-read under the shortlist's lock, so
    two clerks cannot both fill the same place."""
    require(actor, "awards.move_up", entry)
    if not reason.strip():
        raise DomainError(_("请填写递补理由。"), field="reason")
    check_text(reason, field="reason")
    shortlist = lock(Shortlist, entry.shortlist_id)
    entry = lock(ShortlistEntry, entry.pk)
    ENTRY_TRANSITIONS.check(entry, EntryStatus.LISTED)
    cap = caps_for(shortlist.round.cycle).body_cap(entry.body_id)
    held = shortlist.entries.filter(body_id=entry.body_id, status__in=HOLDING).count()
    if held >= cap:
        raise DomainError(
            _("%(body)s的名额已满（上限 %(cap)s 个），不能递补。")
            % {"body": entry.body, "cap": cap}
        )
    earlier = (
        shortlist.entries.filter(
            body_id=entry.body_id,
            status=EntryStatus.RESERVE,
            body_position__lt=entry.body_position,
        )
        .order_by("body_position")
        .first()
    )
    if earlier is not None:
        raise DomainError(_("请按排名递补：%(name)s 排在前面。") % {"name": earlier.collective})
    before = snapshot(entry, ["status"])
    entry.status = EntryStatus.LISTED
    entry.moved_up_by = actor.user
    entry.moved_up_at = timezone.now()
    entry.moved_up_reason = reason
    entry.save(update_fields=["status", "moved_up_by", "moved_up_at", "moved_up_reason"])
    log_action(
        actor,
        entry,
        "awards.entry.moved_up",
        before=before,
        after=snapshot(entry, ["status"]),
        data={"reason": reason},
    )
    return entry
