"""Excel export of complaints. The filer's name and phone are always masked: a spreadsheet
leaves the platform, so it never carries full personal data."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qnwmh.core.labels import choice_label


def export_workbook(
    complaints: QuerySet[Any], *, mask_name: Callable[[str], str], mask_phone: Callable[[str], str]
) -> io.BytesIO:
    today = timezone.localdate()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("投诉建议"))
    ws.append(
        [
            _("查询码"),
            _("类型"),
            _("类别"),
            _("渠道"),
            _("集体"),
            _("承办组织"),
            _("状态"),
            _("接收时间"),
            _("受理期限"),
            _("办结期限"),
            _("是否超期"),
            _("督办级别"),
            _("投诉属实"),
            _("投诉人是否满意"),
            _("姓名"),
            _("联系电话"),
            _("内容"),
        ]
    )
    rows = complaints.order_by("-received_at", "-id").select_related("collective", "body")
    for c in rows.iterator(chunk_size=2000):
        ws.append(
            [
                c.code,
                choice_label(c, "kind"),
                choice_label(c, "category"),
                choice_label(c, "channel"),
                c.collective.name,
                c.body.name,
                choice_label(c, "status"),
                timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"),
                c.ack_due.isoformat(),
                c.finish_due.isoformat(),
                _("是") if c.is_overdue(today) else _("否"),
                c.escalation_level,
                _("是") if c.upheld else _("否"),
                "" if c.satisfied is None else (_("满意") if c.satisfied else _("不满意")),
                mask_name(c.filer_name),
                mask_phone(c.filer_phone) if c.filer_phone else "",
                _("（已屏蔽）") if c.text_hidden else c.text,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out
