"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "collectives.collective.created": _("新建集体"),
    "collectives.collective.updated": _("修改集体信息"),
    "collectives.collective.archived": _("归档集体"),
    "collectives.collective.exported": _("导出集体名单"),
    "collectives.member.added": _("添加成员"),
    "collectives.member.updated": _("修改成员信息"),
    "collectives.member.removed": _("移除成员"),
    "collectives.member.exported": _("导出成员名册"),
    "collectives.import.uploaded": _("上传导入文件"),
    "collectives.import.applied": _("执行导入"),
    "collectives.import.rejected": _("导入被拒绝"),
    "collectives.title.awarded": _("授予称号"),
    "collectives.title.expired": _("称号失效"),
    "collectives.title.revoked": _("撤销称号"),
    "collectives.title.stars_changed": _("调整星级"),
    "collectives.collective.photo_recleaned": _("重新处理集体照片"),
}
