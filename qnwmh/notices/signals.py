"""A notice written or removed one at a time (outside ``notify`` and ``mark_read``, which say
so themselves) makes the unread count its recipient's sessions keep stale."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qnwmh.accounts import kept
from qnwmh.notices.models import Notice


@receiver(post_save, sender=Notice)
@receiver(post_delete, sender=Notice)
def _notice_changed(sender: Any, instance: Notice, **kwargs: Any) -> None:
    kept.changed([instance.recipient_id])
