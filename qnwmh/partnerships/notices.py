"""Who is told about partnerships (bell + e-mail through ``notices.notify``): the city when a
body proposes, the proposing body and the collectives' managers when the city decides.
Registered in PartnershipsConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    "partnerships.joint.proposed": _("%(body)s 提出号号联创项目“%(name)s”，请确认。"),
    "partnerships.joint.confirmed": _("号号联创项目“%(name)s”已确认，请按节点推进。"),
    "partnerships.joint.returned": _("号号联创项目“%(name)s”被退回：%(reason)s"),
    "partnerships.pair.proposed": _("%(body)s 提出新老结对：%(mentor)s 结对 %(mentee)s，请确认。"),
    "partnerships.pair.confirmed": _("新老结对已确认：%(mentor)s 结对 %(mentee)s。"),
    "partnerships.pair.returned": _("新老结对（%(mentor)s 结对 %(mentee)s）被退回：%(reason)s"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
