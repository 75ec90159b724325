"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "demo.loaded": _("载入演示数据"),
}
