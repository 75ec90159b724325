"""Who is told about consultations, and what (bell + e-mail through ``notices.notify``), called
from the services with ``transaction.on_commit``. Registered in ConsultationConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    "consultation.opened": _("请于 %(due)s 前对《%(title)s》提出意见（或回复无意见）。"),
    "consultation.reminder": _(
        "《%(title)s》征求意见将于 %(due)s 截止，贵单位尚未回复，请及时反馈。"
    ),
    "consultation.commented": _("%(body)s 对《%(title)s》提出了 %(n)s 条意见。"),
    "consultation.disposed": _(
        "您对《%(title)s》%(section)s 的意见处理结果：%(result)s。理由：%(reason)s"
    ),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
