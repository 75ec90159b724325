"""Excel export of a round's scores (``audit.exports.export_xlsx``), in the background past
``EXPORT_INLINE_ROWS`` rows. Body admins get their subtree's rows, and the scores only once
scoring has closed (``selectors.scoring.totals_shown``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background


def export_header(shown: bool) -> list[str]:
    head = [_("申报编号"), _("集体"), _("组织管理机构"), _("镇区"), _("评审片区")]
    if shown:
        head += [
            _("现场考核得分"),
            _("现场考核评分表数"),
            _("集中答辩得分"),
            _("集中答辩评分表数"),
            _("综合得分"),
            _("评委总分最大差距"),
            _("评分分歧预警"),
        ]
    return head


def export_rows(apps: QuerySet[Any], shown: bool) -> Iterator[list[Any]]:
    yes, no = _("是"), _("否")
    for app in apps.iterator(chunk_size=2000):
        row: list[Any] = [
            app.code,
            app.collective.name,
            app.body.name,
            app.town.name,
            app.area.name if app.area else "",
        ]
        if shown:
            res = getattr(app, "result", None)
            row += (
                [
                    res.site_score,
                    res.site_sheets,
                    res.defence_score,
                    res.defence_sheets,
                    res.combined,
                    res.spread,
                    yes if res.divergent else no,
                ]
                if res
                else ["", 0, "", 0, "", "", no]
            )
        yield row


def scores_export(
    actor: Actor, apps: QuerySet[Any], *, shown: bool, filters: dict[str, Any]
) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=apps.count(),
        label=_("评审得分"),
        run=scores_file,
        apps=apps,
        shown=shown,
        filters=filters,
    )


def scores_file(
    actor: Actor, apps: QuerySet[Any], *, shown: bool, filters: dict[str, Any]
) -> FileResponse:
    return export_xlsx(
        actor,
        code="certification.scores.exported",
        filename="scores",
        sheets=[(_("评审得分"), export_header(shown), export_rows(apps, shown))],
        filters=filters,
    )
