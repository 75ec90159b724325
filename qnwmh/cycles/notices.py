"""The notice kinds of the cycles app (registered in CyclesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import Msg, register

KINDS = {
    "cycles.cycle.phase_changed": _("%(cycle)s 进入“%(phase)s”阶段。"),
    "cycles.cycle.nonpublic_warning": _("以下镇区没有非公经济组织集体报备：%(t)s"),
    "cycles.quota.overridden": _("%(cycle)s 本组织报备名额调整为 %(n)s 个。"),
    "cycles.quota.published": _("%(cycle)s 名额已公布：本组织 %(n)s 个。"),
    "cycles.registration.filed": _("%(c)s 提交了报备 %(no)s，请进行初评。"),
    "cycles.registration.resubmitted": _("%(c)s 修改后重新提交了报备 %(no)s，请进行初评。"),
    "cycles.registration.withdrawn": _("报备 %(no)s（%(c)s）已撤回：%(r)s"),
    "cycles.registration.accepted": _("报备 %(no)s（%(c)s）已通过初评。"),
    "cycles.registration.returned": _("报备 %(no)s（%(c)s）被退回修改：%(r)s"),
    "cycles.registration.rejected": _("报备 %(no)s（%(c)s）初评未通过：%(r)s"),
    "cycles.registration.filed_by_city": _("报备 %(no)s 已由团市委备案，请按创建计划开展创建。"),
    "cycles.registration.reminder": _(
        "%(cycle)s 报备将于 %(d)s 截止，本组织尚有 %(n)s 个报备待初评。"
    ),
    "cycles.submission.submitted": _("%(b)s 报送了 %(cycle)s 报备名单（%(n)s 个），请审核。"),
    "cycles.submission.accepted": _("团市委已接收 %(cycle)s 报备名单（%(n)s 个）。"),
    "cycles.submission.returned": _("团市委退回了 %(cycle)s 报备名单：%(r)s"),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)


def cycle_msg(cycle: object) -> Msg:
    """A cycle's title as facts: rendered in the reader's language."""
    return Msg(
        _("第%(no)s届（%(reg)s—%(cert)s）"),
        no=cycle.session_no,  # type: ignore[attr-defined]
        reg=cycle.registration_year,  # type: ignore[attr-defined]
        cert=cycle.certification_year,  # type: ignore[attr-defined]
    )
