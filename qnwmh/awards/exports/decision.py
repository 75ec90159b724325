"""Excel of a decision's naming list, through the one safe writer (``export_xlsx``): a few
hundred rows at most, so always built at once."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.awards.models import Certificate, Decision
from qnwmh.awards.selectors.decision import decided_entries
from qnwmh.core.actor import Actor


def naming_xlsx(actor: Actor, decision: Decision) -> FileResponse:
    header = [
        str(_("序号")),
        str(_("组织管理机构")),
        str(_("集体")),
        str(_("镇区")),
        str(_("级别")),
        str(_("星级")),
        str(_("届次")),
        str(_("证书编号")),
    ]
    numbers = dict(Certificate.objects.filter(decision=decision).values_list("title_id", "number"))
    rows = (
        [
            i,
            e.body.name,
            e.collective.name,
            e.town.name,
            e.title.get_level_display() if e.title else "",
            e.title.stars if e.title else "",
            e.title.session_no if e.title else "",
            numbers.get(e.title_id or 0, ""),
        ]
        for i, e in enumerate(decided_entries(decision), start=1)
    )
    return export_xlsx(
        actor,
        code="awards.decision.exported",
        filename=f"naming-{decision.code}",
        sheets=[(str(_("命名名单")), header, rows)],
        filters={"decision": decision.document_no},
    )
