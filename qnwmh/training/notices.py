"""Who is told about training, and what (bell + e-mail through ``notices.notify``): the
managers of the invited collectives. Registered in TrainingConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    "training.session.invited": _(
        "请 %(c)s 的号长 %(leader)s 参加轮训“%(title)s”：%(when)s，%(place)s。到场后用手机扫描现场二维码签到。"
    ),
    "training.session.reminder": _(
        "提醒：%(c)s 的号长 %(leader)s 尚未签到轮训“%(title)s”（%(when)s，%(place)s）。"
    ),
    "training.session.cancelled": _("轮训“%(title)s”（%(when)s）已取消。"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
