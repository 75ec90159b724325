"""Excel export of the login log, as filtered on its page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.accounts.models import LoginEvent
from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label


def login_log_export(
    actor: Actor, qs: QuerySet[LoginEvent], filters: dict[str, Any]
) -> HttpResponseBase:
    return inline_or_background(
        actor, size=qs.count(), label=_("登录日志"), run=login_log_file, qs=qs, filters=filters
    )


def login_log_file(actor: Actor, qs: QuerySet[LoginEvent], filters: dict[str, Any]) -> FileResponse:
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
