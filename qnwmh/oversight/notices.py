"""Who is told about oversight, and what (bell + e-mail through ``notices.notify``), called
from the services with ``transaction.on_commit``. Registered in OversightConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    # Sanctions and exit (the core every part calls).
    "oversight.sanction.proposed": _("%(c)s 被建议给予“%(kind)s”处理，请市级确认：%(reason)s"),
    "oversight.sanction.imposed": _("%(c)s 的%(level)s称号受到“%(kind)s”处理：%(reason)s"),
    "oversight.sanction.withdrawn": _("对 %(c)s 的“%(kind)s”处理建议已撤回：%(reason)s"),
    "oversight.exit.recorded": _("%(c)s 的%(level)s称号已退出（%(kind)s）：%(reason)s"),
    # The annual re-review.
    "oversight.review.opened": _("%(year)s 年度青年文明号复核已开始，请于 %(due)s 前完成自评。"),
    "oversight.review.self_reported": _("%(c)s 已提交 %(year)s 年度复核自评，请评价。"),
    "oversight.review.assessed": _(
        "%(c)s 的 %(year)s 年度复核已评价（建议“%(proposed)s”），请确认。"
    ),
    "oversight.review.decided": _("%(c)s 的 %(year)s 年度复核结论为“%(outcome)s”。"),
    "oversight.review.self_report_due": _(
        "%(c)s 的 %(year)s 年度复核自评截止日期为 %(due)s，请及时提交。"
    ),
    "oversight.review.to_assess": _("有 %(n)s 个 %(year)s 年度复核个案待您评价。"),
    "oversight.review.to_decide": _("有 %(n)s 个 %(year)s 年度复核个案待市级确认。"),
    # Spot checks (covert visits are never announced before they are closed).
    "oversight.visit.planned": _("%(c)s 将于 %(date)s 接受青年文明号抽检走访，请做好准备。"),
    "oversight.visit.closed": _("%(c)s 的青年文明号抽检走访已办结，结论：%(result)s。"),
    # Rectification (the sanctions part).
    "oversight.rectification.ordered": _("%(c)s 被责令整改，整改期限 %(due)s。"),
    "oversight.rectification.reported": _("%(c)s 已提交整改报告%(late)s，请核查。"),
    "oversight.rectification.verified": _("%(c)s 的整改核查结果：%(status)s。"),
    "oversight.rectification.missed": _("%(c)s 逾期未报整改情况（期限 %(due)s），已提出撤销建议。"),
    "oversight.rectification.due": _(
        "%(c)s 的整改将于 %(due)s 到期（还有 %(days)s 天），请及时提交整改报告。"
    ),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
