"""Excel list of a re-review's cases, as the cases page filters and scopes them; a large one
is built in the background (``core.background``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.oversight.models import CaseStatus, Outcome
from qnwmh.oversight.selectors.review import review_cases, review_detail


def cases_export(actor: Actor, code: str, filters: dict[str, Any]) -> HttpResponseBase:
    review = review_detail(actor, code)
    size = review_cases(actor, review, **filters).count()
    return inline_or_background(
        actor, size=size, label=_("复核个案"), run=cases_file, code=code, filters=filters
    )


def cases_file(actor: Actor, code: str, filters: dict[str, Any]) -> FileResponse:
    review = review_detail(actor, code)
    header = [
        str(_("集体")),
        str(_("组织管理机构")),
        str(_("所在镇区")),
        str(_("星级")),
        str(_("状态")),
        str(_("总分")),
        str(_("团委建议结论")),
        str(_("复核结论")),
        str(_("市级直接确认")),
        str(_("确认理由")),
        str(_("免于复核理由")),
    ]
    statuses = dict(CaseStatus.choices)
    outcomes = dict(Outcome.choices)

    def rows() -> Iterable[list[Any]]:
        for c in review_cases(actor, review, **filters).iterator(chunk_size=2000):
            yield [
                c.collective.name,
                c.body.name,
                c.collective.town.name,
                c.title.stars,
                str(statuses.get(c.status, c.status)),
                c.total,
                str(outcomes.get(c.proposed_outcome, "")),
                str(outcomes.get(c.outcome, "")),
                str(_("是")) if c.forced else "",
                c.decision_reason,
                c.exempt_reason,
            ]

    return export_xlsx(
        actor,
        code="oversight.case.exported",
        filename=f"review-{review.year}",
        sheets=[(str(_("复核个案")), header, rows())],
        filters={"review": review.code, **filters},
    )
