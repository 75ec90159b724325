"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "orgs.organisation.created": _("新建组织"),
    "orgs.organisation.updated": _("修改组织"),
    "orgs.town.created": _("新建镇区"),
    "orgs.town.updated": _("修改镇区"),
    "orgs.sector.created": _("新建行业系统"),
    "orgs.sector.updated": _("修改行业系统"),
}
