"""A grant given or taken, or an organisation added under a body, makes the grants that
sessions keep stale (``accounts.kept``): the next request reads them again."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts import kept
from qnwmh.orgs.models import Organisation


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _grant_changed(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    kept.changed([instance.user_id])


@receiver(pre_save, sender=Organisation)
def _tree_saving(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    # A body admin's scope is the subtree under their body's path; only a path can change it,
    # so the path the row has now is kept to compare with (an edit of a phone number must not
    # make every session read its grants again).
    instance._path_before = (  # type: ignore[attr-defined]
        Organisation.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Organisation)
def _tree_saved(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    if getattr(instance, "_path_before", None) != instance.path:
        kept.changed()


@receiver(post_delete, sender=Organisation)
def _tree_pruned(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    kept.changed()
