"""Notice kinds of certification (bell + e-mail through ``notices.notify``), registered in
``CertificationConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS = {
    "certification.round.moved": _("%(cycle)s评选认定进入“%(status)s”。"),
    "certification.application.submitted": _("%(c)s 提交了评选认定申报，请审核推荐。"),
    "certification.application.recommended": _(
        "%(c)s 的评选认定申报已由 %(b)s 推荐（排序第 %(rank)s）。"
    ),
    "certification.application.returned": _("%(c)s 的评选认定申报被退回修改：%(r)s"),
    "certification.application.withdrawn": _("%(c)s 的评选认定申报已撤回：%(r)s"),
    "certification.sheet.reopened": _(
        "您对 %(collective)s 的评分表已被评审组组长退回重评，原因：%(reason)s"
    ),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)
