"""Excel exports of the account list and the login log, as filtered on their pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.models import LoginEvent, User
from qnwmh.audit.exports import export_xlsx
from qnwmh.core.labels import choice_label


def users_export(actor: Actor, qs: QuerySet[User], filters: dict[str, Any]) -> FileResponse:
    def rows() -> Iterator[list[Any]]:
        for u in qs.iterator(chunk_size=2000):
            roles = "、".join(str(a) for a in u.active_assignments)  # type: ignore[attr-defined]
            yield [
                u.username,
                u.display_name,
                roles,
                str(_("正常") if u.is_active else _("已停用")),
            ]

    header = [_("用户名"), _("姓名"), _("角色"), _("状态")]
    return export_xlsx(
        actor,
        code="accounts.user.exported",
        filename=str(_("账号")),
        sheets=[(str(_("账号")), header, rows())],
        filters=filters,
    )


def login_log_export(
    actor: Actor, qs: QuerySet[LoginEvent], filters: dict[str, Any]
) -> FileResponse:
    def rows() -> Iterator[list[Any]]:
        for e in qs.iterator(chunk_size=2000):
            yield [e.at, choice_label(e, "kind"), e.username, e.ip or "", e.user_agent]

    header = [_("时间"), _("类型"), _("用户名"), _("IP 地址"), _("浏览器")]
    return export_xlsx(
        actor,
        code="accounts.login_log.exported",
        filename=str(_("登录日志")),
        sheets=[(str(_("登录日志")), header, rows())],
        filters=filters,
    )
