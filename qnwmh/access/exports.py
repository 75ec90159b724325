"""Excel export of the account list with each person's roles, as filtered on its page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.accounts.models import User
from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background


def users_export(actor: Actor, qs: QuerySet[User], filters: dict[str, Any]) -> HttpResponseBase:
    return inline_or_background(
        actor, size=qs.count(), label=_("账号"), run=users_file, qs=qs, filters=filters
    )


def users_file(actor: Actor, qs: QuerySet[User], filters: dict[str, Any]) -> FileResponse:
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
