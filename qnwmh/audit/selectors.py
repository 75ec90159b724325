"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from qnwmh.audit.models import AuditEntry


def history_of(obj: Model) -> QuerySet[AuditEntry]:
    """Every audit entry about ``obj`` (as ``log_action`` recorded it), oldest first. The one
    reader for a page that shows an object's history; the caller decides who may see it."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("at", "id")
