"""Keep the creating memberships with every write that moves them. Model signals fire inside
the writer's transaction, whichever service saves (collectives' titles, awards' decisions,
oversight's exits, cycles' registrations), so no write path can forget to call us; the
collectives' bulk paths send ``collectives_changed``. Bulk loads that bypass both (demo,
generators) end with ``manage.py rebuild_tallies``.

The one bulk status change of registrations (accepted → filed on a body's list) stays
within the counted statuses, so it moves no membership."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from qnwmh.collectives.models import Collective, Title
from qnwmh.collectives.signals import collectives_changed
from qnwmh.creation import membership
from qnwmh.cycles.models import Cycle, Registration


def _title_changed(sender: Any, instance: Title, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        membership.refresh(instance.collective_id)


def _registration_changed(
    sender: Any, instance: Registration, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        membership.refresh(instance.collective_id, [instance.cycle_id])


def _collective_saved(
    sender: Any, instance: Collective, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if not (created or raw):  # a new collective holds no title or registration yet
        membership.follow_collective(instance)


def _collectives_changed(sender: Any, ids: list[int], **kwargs: Any) -> None:
    membership.follow_collectives(ids)


def _cycle_saved(
    sender: Any, instance: Cycle, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:  # every titled collective is creating in the new cycle
        from qnwmh.creation.rebuild import rebuild_all

        rebuild_all(instance.pk)


def connect() -> None:
    uid = "creation.membership"
    post_save.connect(_title_changed, sender=Title, dispatch_uid=f"{uid}.title")
    post_delete.connect(_title_changed, sender=Title, dispatch_uid=f"{uid}.title.deleted")
    post_save.connect(_registration_changed, sender=Registration, dispatch_uid=f"{uid}.reg")
    post_delete.connect(
        _registration_changed, sender=Registration, dispatch_uid=f"{uid}.reg.deleted"
    )
    post_save.connect(_collective_saved, sender=Collective, dispatch_uid=f"{uid}.collective")
    collectives_changed.connect(_collectives_changed, dispatch_uid=f"{uid}.collectives")
    post_save.connect(_cycle_saved, sender=Cycle, dispatch_uid=f"{uid}.cycle")
