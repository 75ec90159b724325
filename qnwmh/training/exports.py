"""Excel of the sessions list (the page's filters; in the background past
``EXPORT_INLINE_ROWS`` rows) and of the coverage table (one row per body, answered at once)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.cycles.models import Cycle
from qnwmh.training.selectors import (
    CoverageRow,
    SessionFilters,
    attendance_counts,
    coverage_total,
    session_list,
)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def session_rows(actor: Actor, filters: SessionFilters) -> Iterator[list[Any]]:
    sessions = list(session_list(actor, filters))
    counts = attendance_counts([s.pk for s in sessions])
    for s in sessions:
        invited, checked = counts.get(s.pk, (0, 0))
        yield [
            s.title,
            s.organiser.name,
            str(s.cycle),
            _local(s.starts_at),
            _local(s.ends_at),
            s.place,
            choice_label(s, "status"),
            invited,
            checked,
        ]


def sessions_export(actor: Actor, filters: SessionFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=session_list(actor, filters).count(),
        label=_("轮训"),
        run=sessions_file,
        filters=asdict(filters),
    )


def sessions_file(actor: Actor, *, filters: dict[str, Any]) -> FileResponse:
    header = [
        _("名称"),
        _("主办"),
        _("创建周期"),
        _("开始时间"),
        _("结束时间"),
        _("地点"),
        _("状态"),
        _("应到"),
        _("已签到"),
    ]
    return export_xlsx(
        actor,
        code="training.sessions.exported",
        filename="training-sessions",
        sheets=[(_("轮训"), header, session_rows(actor, SessionFilters(**filters)))],
        filters={k: v for k, v in filters.items() if v},
    )


def coverage_export(actor: Actor, cycle: Cycle, rows: list[CoverageRow]) -> FileResponse:
    header = [_("组织管理机构"), _("应训号长"), _("已完成轮训"), _("覆盖率")]
    total = coverage_total(rows)
    lines = [[r.body, r.required, r.trained, r.percent] for r in rows]
    lines.append([_("合计"), total.required, total.trained, total.percent])
    return export_xlsx(
        actor,
        code="training.coverage.exported",
        filename="training-coverage",
        sheets=[(_("轮训覆盖率"), header, iter(lines))],
        filters={"cycle": cycle.code},
    )
