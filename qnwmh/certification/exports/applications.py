"""Excel export of a round's applications: the same scoped, filtered list as the page,
through the one safe writer (``audit.exports.export_xlsx``); large ones built by the worker."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.certification.models import CertificationRound
from qnwmh.certification.selectors.applications import ApplicationFilters, application_list
from qnwmh.collectives.models import Eligibility
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.knowledge.selectors import results_for

CHUNK = 2000


def applications_xlsx(
    actor: Actor, r: CertificationRound, filters: ApplicationFilters
) -> HttpResponseBase:
    size = application_list(actor, r, filters).count()
    return inline_or_background(
        actor,
        size=size,
        label=_("评选认定申报"),
        run=applications_file,
        r=r,
        filters=filters,
    )


def _chunks(qs: Any) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for app in qs.iterator(chunk_size=CHUNK):
        chunk.append(app)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def applications_file(
    actor: Actor, r: CertificationRound, filters: ApplicationFilters
) -> FileResponse:
    header = [
        str(_("申报编号")),
        str(_("集体")),
        str(_("组织管理机构")),
        str(_("镇区")),
        str(_("评审片区")),
        str(_("状态")),
        str(_("推荐排序")),
        str(_("特别推荐")),
        str(_("资格")),
        str(_("知识测试")),
        str(_("测试得分")),
        str(_("评价次数")),
        str(_("平均星级")),
        str(_("投诉属实")),
        str(_("提交时间")),
        str(_("推荐意见")),
        str(_("退回原因")),
    ]
    eligibility = dict(Eligibility.choices)
    passed, failed = str(_("通过")), str(_("未通过"))

    def rows() -> Iterable[list[Any]]:
        for chunk in _chunks(application_list(actor, r, filters)):
            tests = results_for(r.exam, [a.collective_id for a in chunk]) if r.exam else {}
            for a in chunk:
                t = tests.get(a.collective_id)
                figures = a.appraisal or {}
                yield [
                    a.code,
                    a.collective.name,
                    a.body.name,
                    a.town.name,
                    a.area.name if a.area else "",
                    choice_label(a, "status"),
                    a.body_rank,
                    str(_("是")) if a.special_recommendation else "",
                    str(eligibility.get(a.eligibility, a.eligibility)),
                    "" if t is None or not t.attempts else (passed if t.passed else failed),
                    t.best_score if t else None,
                    figures.get("ratings"),
                    figures.get("rating_avg"),
                    figures.get("upheld"),
                    a.submitted_at,
                    a.recommendation,
                    a.return_reason,
                ]

    return export_xlsx(
        actor,
        code="certification.application.exported",
        filename=f"applications-{r.cycle.session_no}",
        sheets=[(str(_("评选认定申报")), header, rows())],
        filters={
            "round": r.code,
            **{k: v for k, v in filters.__dict__.items() if v not in ("", None)},
        },
    )
