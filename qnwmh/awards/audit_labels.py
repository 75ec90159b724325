"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "awards.entry.removed": _("移出拟认定名单"),
    "awards.entry.moved_up": _("候补递补进入名单"),
}
