"""Excel export of a round's live ranking (``audit.exports.export_xlsx``), in the background
past ``EXPORT_INLINE_ROWS`` rows. Body admins get their subtree's rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.awards.models import EntryStatus
from qnwmh.awards.ranking import Exclusion, Ranked, cents
from qnwmh.awards.selectors import ranking as sel
from qnwmh.awards.services.ranking import current_ranking
from qnwmh.certification.models import Application, CertificationRound
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background


def header() -> list[str]:
    return [
        _("全市排名"),
        _("本单位排名"),
        _("状态"),
        _("申报编号"),
        _("集体"),
        _("组织管理机构"),
        _("评审片区"),
        _("综合得分"),
        _("调整后得分"),
        _("知识测试成绩"),
        _("团建工作得分"),
        _("社会评价得分"),
        _("最终得分"),
        _("特别推荐"),
        _("不具备条件原因"),
    ]


def _status_label(row: Ranked) -> str:
    return str(EntryStatus(row.status).label)


def rows(actor: Actor, ranked: list[Ranked]) -> Iterator[list[Any]]:
    yes, no = _("是"), _("否")
    for start in range(0, len(ranked), 2000):
        chunk = ranked[start : start + 2000]
        apps = Application.objects.select_related("collective", "body", "area").in_bulk(
            [r.application_id for r in chunk]
        )
        for r in chunk:
            app, c = apps[r.application_id], r.candidate
            yield [
                r.city_position,
                r.body_position,
                _status_label(r),
                app.code,
                app.collective.name,
                app.body.name,
                app.area.name if app.area else "",
                c.combined,
                cents(r.adjusted),
                c.test_score,
                c.league_support,
                cents(r.appraisal),
                r.final,
                yes if c.special else no,
                str(Exclusion(r.exclusion).label) if r.exclusion else "",
            ]


def ranking_export(actor: Actor, r: CertificationRound, *, body: int | None) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=r.applications.count(),
        label=_("排名"),
        run=ranking_file,
        round_id=r.pk,
        body=body,
    )


def ranking_file(actor: Actor, *, round_id: int, body: int | None) -> FileResponse:
    r = CertificationRound.objects.select_related("cycle", "exam").get(pk=round_id)
    ranked = sel.visible(actor, current_ranking(r).rows, body)
    return export_xlsx(
        actor,
        code="awards.ranking.exported",
        filename="ranking",
        sheets=[(_("排名"), header(), rows(actor, ranked))],
        filters={"round": r.code, "body": body},
    )
