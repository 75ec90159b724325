"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

if TYPE_CHECKING:
    from qnwmh.awards.models import Decision, ShortlistEntry

KINDS: dict[str, Promise] = {
    # The notice part: inspection, public notice, objections.
    "awards.inspection.failed": _(
        "%(collective)s 考察未通过，已移出拟认定名单；%(body)s 如有候补，可按排名递补。"
    ),
    "awards.notice.published": _("%(heading)s 已发布，公示期 %(opens)s 至 %(closes)s。"),
    "awards.notice.ended": _(
        "%(heading)s 的公示期已于 %(closes)s 结束：收到异议 %(count)s 件，未办结 %(open)s 件。"
    ),
    "awards.objection.filed": _("公示对象 %(collective)s 收到一件异议，请于 %(due)s 前办结。"),
    "awards.objection.assigned": _("您被指定办理对 %(collective)s 的公示异议，办理期限 %(due)s。"),
    "awards.objection.decided": _("对 %(collective)s 的公示异议已办结：%(outcome)s。"),
    "awards.objection.due": _("有 %(count)s 件公示异议今日到期或已超期，尚未办结。"),
    # ranking
    "awards.shortlist.frozen": _("%(cycle)s拟认定名单已确定，请查看本单位的拟认定与候补集体。"),
    # Nomination upward (推报).
    "awards.nomination.nominated": _(
        "%(c)s 的市级青年文明号已推报参加“%(round)s”（排序第 %(p)s）。"
    ),
    "awards.nomination.withdrawn": _("%(c)s 参加“%(round)s”的推报已撤回：%(r)s"),
    "awards.nomination.granted": _(
        "%(c)s 在“%(round)s”中获评省级青年文明号，市级称号自然保留，免于市级复核。"
    ),
    "awards.nomination.not_granted": _("%(c)s 在“%(round)s”中未获省级称号：%(r)s"),
    # decision
    "awards.decision.collective": _(
        "%(c)s 已被认定为市级青年文明号（%(doc)s），证书编号 %(number)s。"
    ),
    "awards.decision.body": _("认定决定 %(doc)s 认定了 %(n)s 个本单位集体：%(names)s。"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)


def decided(decision: Decision, entries: Iterable[ShortlistEntry]) -> None:
    """Each collective's managers (with its certificate number), and each body's admins."""
    from qnwmh.awards.models import Certificate
    from qnwmh.notices.services import body_admins, collective_managers, notify

    entries = list(entries)
    numbers = dict(Certificate.objects.filter(decision=decision).values_list("title_id", "number"))
    by_body: dict[int, list[ShortlistEntry]] = {}
    for e in entries:
        by_body.setdefault(e.body_id, []).append(e)
        notify(
            collective_managers(e.collective_id),
            code="awards.decision.collective",
            params={
                "c": e.collective.name,
                "doc": decision.document_no,
                "number": numbers.get(e.title_id or 0, ""),
            },
        )
    for body_id, mine in by_body.items():
        notify(
            body_admins(body_id),
            code="awards.decision.body",
            params={
                "doc": decision.document_no,
                "n": len(mine),
                "names": "、".join(e.collective.name for e in mine),
            },
        )
