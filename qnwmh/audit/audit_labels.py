"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "audit.log.exported": _("导出审计日志"),
    # The demo app keeps no catalogue of its own: its one action is named here.
    "demo.loaded": _("载入演示数据"),
}
