"""Excel export of complaints. The filer's name and phone are always masked: a spreadsheet
leaves the platform, so it never carries full personal data. Written by the one safe writer
(``qnwmh.core.xlsx`` through ``audit.exports.export_xlsx``): labels, local time, no formulas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.supervision.models import ACK_TIMELINESS, FINISH_TIMELINESS
from qnwmh.supervision.selectors import with_timeliness


def export_header() -> list[str]:
    return [
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
        _("受理时效"),
        _("办结时效"),
        _("督办级别"),
        _("投诉属实"),
        _("投诉人是否满意"),
        _("姓名"),
        _("联系电话"),
        _("内容"),
    ]


def export_rows(
    complaints: QuerySet[Any], *, mask_name: Callable[[str], str], mask_phone: Callable[[str], str]
) -> Iterator[list[Any]]:
    today = timezone.localdate()
    yes, no = _("是"), _("否")
    escalation = {1: _("超期未受理"), 2: _("超期未办结")}
    ack_labels, finish_labels = dict(ACK_TIMELINESS), dict(FINISH_TIMELINESS)
    rows = with_timeliness(
        complaints.order_by("-received_at", "-id").select_related("collective", "body"), today
    )
    for c in rows.iterator(chunk_size=2000):
        yield [
            c.code,
            choice_label(c, "kind"),
            choice_label(c, "category"),
            choice_label(c, "channel"),
            c.collective.name,
            c.body.name,
            choice_label(c, "status"),
            c.received_at,  # an aware datetime: the writer writes it in local time
            c.ack_due,
            c.finish_due,
            yes if c.is_overdue(today) else no,
            str(ack_labels.get(c.ack_timeliness, "")),  # type: ignore[attr-defined]
            str(finish_labels.get(c.finish_timeliness, "")),  # type: ignore[attr-defined]
            escalation.get(c.escalation_level, ""),
            yes if c.upheld else no,
            "" if c.satisfied is None else (_("满意") if c.satisfied else _("不满意")),
            mask_name(c.filer_name),
            mask_phone(c.filer_phone) if c.filer_phone else "",
            _("（已屏蔽）") if c.text_hidden else c.text,
        ]


def complaints_export(
    actor: Actor,
    complaints: QuerySet[Any],
    *,
    filters: dict[str, Any],
    mask_name: Callable[[str], str],
    mask_phone: Callable[[str], str],
) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=complaints.count(),
        label=_("投诉建议"),
        run=complaints_file,
        complaints=complaints,
        filters=filters,
        mask_name=mask_name,
        mask_phone=mask_phone,
    )


def complaints_file(
    actor: Actor,
    complaints: QuerySet[Any],
    *,
    filters: dict[str, Any],
    mask_name: Callable[[str], str],
    mask_phone: Callable[[str], str],
) -> FileResponse:
    return export_xlsx(
        actor,
        code="supervision.complaint.exported",
        filename="complaints",
        sheets=[
            (
                _("投诉建议"),
                export_header(),
                export_rows(complaints, mask_name=mask_name, mask_phone=mask_phone),
            )
        ],
        filters=filters,
    )
