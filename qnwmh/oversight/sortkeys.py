"""The re-review cases' sort keys (``ReviewCase.body_name``, ``collective_key``) follow their
body's name and their collective's ``sort_key``: a rename re-sorts the cases at once.

Received from ``post_save`` of the lower apps' models (they cannot know oversight). A save that
names its fields and leaves the name out costs nothing; any other costs one UPDATE that
touches only the cases whose key differs. Bulk updates bypass ``post_save``: code renaming
collectives in bulk calls ``collectives_renamed`` with their ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_save

from qnwmh.collectives.models import Collective
from qnwmh.orgs.models import Organisation
from qnwmh.oversight.models import ReviewCase


def _names_may_have_changed(update_fields: Iterable[str] | None, *names: str) -> bool:
    return update_fields is None or any(n in update_fields for n in names)


def _collective_saved(sender: Any, instance: Collective, created: bool, **kwargs: Any) -> None:
    if created or not _names_may_have_changed(kwargs.get("update_fields"), "name", "sort_key"):
        return
    ReviewCase.objects.filter(collective_id=instance.pk).exclude(
        collective_key=instance.sort_key
    ).update(collective_key=instance.sort_key)


def _body_saved(sender: Any, instance: Organisation, created: bool, **kwargs: Any) -> None:
    if created or not _names_may_have_changed(kwargs.get("update_fields"), "name"):
        return
    ReviewCase.objects.filter(body_id=instance.pk).exclude(body_name=instance.name).update(
        body_name=instance.name
    )


def collectives_renamed(ids: Iterable[int]) -> None:
    """Refresh the keys of these collectives' cases from their current ``sort_key``."""
    current = Collective.objects.filter(pk=OuterRef("collective_id")).values("sort_key")
    ReviewCase.objects.filter(collective_id__in=list(ids)).update(
        collective_key=Subquery(current[:1])
    )


def connect() -> None:
    post_save.connect(_collective_saved, sender=Collective, dispatch_uid="oversight_case_key")
    post_save.connect(_body_saved, sender=Organisation, dispatch_uid="oversight_case_body")
