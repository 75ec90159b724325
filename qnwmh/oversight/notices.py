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
    # Spot checks (covert visits are never announced before they are closed).
    "oversight.visit.planned": _("%(c)s 将于 %(date)s 接受青年文明号抽检走访，请做好准备。"),
    "oversight.visit.closed": _("%(c)s 的青年文明号抽检走访已办结，结论：%(result)s。"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
