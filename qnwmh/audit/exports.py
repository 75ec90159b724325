"""Audited spreadsheet exports: write the rows the user sees, record one audit entry with the
row count, stream the file. Every back-office export goes through ``export_xlsx``.

An export above ``EXPORT_INLINE_ROWS`` rows is built by the worker instead and kept for download
(``qnwmh.core.background``): each module's ``*_export`` counts and decides, its ``*_file`` builds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from qnwmh.audit.services import log_action
from qnwmh.core.background import counted, inline_or_background
from qnwmh.core.xlsx import spooled_workbook, xlsx_response

if TYPE_CHECKING:
    from qnwmh.core.actor import Actor

Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def export_xlsx(
    actor: Actor,
    *,
    code: str,
    filename: str,
    sheets: list[Sheet],
    filters: dict[str, Any] | None = None,
) -> FileResponse:
    """``code`` is the audit code (``collectives.collective.exported``); ``filename`` without
    the extension (a date is appended)."""
    # Counted: a build in the background shows its progress.
    fh, counts = spooled_workbook([(name, header, counted(rows)) for name, header, rows in sheets])
    log_action(
        actor,
        None,
        code,
        data={
            "format": "xlsx",
            "rows": sum(counts),
            "sheets": {name: n for (name, _h, _r), n in zip(sheets, counts, strict=True)},
            "filters": {k: v for k, v in (filters or {}).items() if v not in ("", None)},
        },
    )
    return xlsx_response(fh, f"{filename}-{timezone.localdate():%Y%m%d}.xlsx")


def wants_xlsx(request: Any) -> bool:
    return request.GET.get("format") == "xlsx"


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def audit_export(actor: Actor, qs: Any, filters: dict[str, Any]) -> HttpResponseBase:
    """The audit log as filtered on its page (city admins only; the view checks)."""
    from django.utils.translation import gettext as _

    return inline_or_background(
        actor, size=qs.count(), label=_("审计日志"), run=audit_file, qs=qs, filters=filters
    )


def audit_file(actor: Actor, qs: Any, filters: dict[str, Any]) -> FileResponse:
    from django.utils.translation import gettext as _

    def rows() -> Iterable[list[Any]]:
        for e in qs.order_by("-at", "-id").iterator(chunk_size=2000):
            yield [
                e.at,
                e.actor_display,
                e.ip or "",
                e.code,
                e.object_type,
                e.object_repr,
                _json_text(e.before),
                _json_text(e.after),
                _json_text(e.data),
            ]

    header = [
        _("时间"),
        _("操作人"),
        _("IP 地址"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("之前"),
        _("之后"),
        _("数据"),
    ]
    return export_xlsx(
        actor,
        code="audit.log.exported",
        filename=str(_("审计日志")),
        sheets=[(str(_("审计日志")), header, rows())],
        filters=filters,
    )
