"""Excel list of a provincial round's nominations: what the city sends the province with the
dossiers, scoped as the round's page is (a body sees its own), through the one audited writer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.awards.models import Certificate, NominationRound
from qnwmh.awards.selectors.nomination import round_nominations
from qnwmh.core.actor import Actor
from qnwmh.core.labels import choice_label


def round_xlsx(actor: Actor, r: NominationRound) -> FileResponse:
    """Small by nature (a provincial quota is a handful): always built in the request."""
    header = [
        str(_("推报排序")),
        str(_("集体")),
        str(_("所在单位")),
        str(_("组织管理机构")),
        str(_("所在镇区")),
        str(_("市级称号届次")),
        str(_("星级")),
        str(_("授予日期")),
        str(_("证书编号")),
        str(_("推荐意见")),
        str(_("状态")),
        str(_("结果日期")),
        str(_("结果说明")),
    ]
    nominations = list(round_nominations(actor, r))
    numbers = dict(
        Certificate.objects.filter(
            title_id__in=[n.title_id for n in nominations], superseded_at__isnull=True
        ).values_list("title_id", "number")
    )

    def rows() -> Iterable[list[Any]]:
        for n in nominations:
            t = n.title
            yield [
                n.position,
                n.collective.name,
                n.collective.work_unit,
                n.collective.body.name,
                n.collective.town.name,
                t.session_no,
                t.stars,
                t.awarded_on,
                numbers.get(t.pk, ""),
                n.recommendation,
                choice_label(n, "status"),
                n.outcome_on,
                n.outcome_note,
            ]

    return export_xlsx(
        actor,
        code="awards.nomination.exported",
        filename=f"nominations-{r.year}-{r.code}",
        sheets=[(str(_("推报名单")), header, rows())],
        filters={"round": r.code},
    )
