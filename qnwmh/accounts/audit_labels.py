"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "accounts.user.created": _("创建用户"),
    "accounts.user.activated": _("启用用户"),
    "accounts.user.deactivated": _("停用用户"),
    "accounts.user.password_changed": _("修改密码"),
    "accounts.user.exported": _("导出用户"),
    "accounts.role.granted": _("授予角色"),
    "accounts.role.revoked": _("撤销角色"),
    "accounts.login_log.exported": _("导出登录记录"),
    "accounts.user.unlocked": _("解除登录锁定"),
    "accounts.user.password_reset": _("重置密码"),
}
