"""Who is told about recognition, and what (bell + e-mail through ``notices.notify``), called
from the services with ``transaction.on_commit``. Registered in RecognitionConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {
    "recognition.reward.recorded": _("%(c)s 获得奖励“%(name)s”，已登记。"),
    "recognition.story.submitted": _("%(c)s 的典型案例“%(heading)s”已提交，请审核。"),
    "recognition.story.approved": _("%(c)s 的典型案例“%(heading)s”已审核通过。"),
    "recognition.story.returned": _("%(c)s 的典型案例“%(heading)s”被退回修改：%(note)s"),
    "recognition.story.published": _("%(c)s 的典型案例“%(heading)s”已在网站发布。"),
    "recognition.story.withdrawn": _("%(c)s 的典型案例“%(heading)s”已从网站撤回：%(note)s"),
}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
