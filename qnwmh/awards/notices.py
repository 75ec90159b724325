"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

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
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
