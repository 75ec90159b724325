"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "awards.entry.removed": _("移出拟认定名单"),
    "awards.entry.moved_up": _("候补递补进入名单"),
    "awards.entry.decided": _("认定为青年文明号"),
    "awards.decision.made": _("作出认定决定"),
    "awards.decision.printed": _("打印命名名单"),
    "awards.decision.exported": _("导出命名名单"),
    "awards.certificate.issued": _("发放证书"),
    "awards.certificate.printed": _("打印证书"),
    "awards.certificates.printed": _("批量打印证书"),
}
