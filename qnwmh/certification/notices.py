"""Who is told about certification, and what (bell + e-mail through ``notices.notify``).

Called from the services with ``transaction.on_commit``. Registered in
CertificationConfig.ready (``register_kinds``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.notices.messages import register
from qnwmh.notices.services import city_admins, notify

if TYPE_CHECKING:
    from qnwmh.certification.models import Assignment, ConflictDeclaration, Reviewer

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
    "certification.assignment.invited": _(
        "您受邀评审 %(collective)s 的评选认定申报，请确认是否接受，评分截止 %(due)s。"
    ),
    "certification.assignment.declined": _(
        "评审专家 %(reviewer)s 谢绝评审 %(collective)s 的申报：%(reason)s。请另行分配。"
    ),
    "certification.assignment.cancelled": _("您对 %(collective)s 申报的评审任务已撤销。"),
    "certification.conflict.declared": _(
        "评审专家 %(reviewer)s 申明与 %(collective)s 回避：%(reason)s。已撤销 %(n)s 项评审任务，请另行分配。"
    ),
    "certification.assignment.reminder": _("您有 %(n)s 项评审任务待确认或即将截止，请及时处理。"),
}


def register_kinds() -> None:
    for code, template in KINDS.items():
        register(code, template)


def _home() -> str:
    return reverse("certification:review_home")


def invited(assignments: Iterable[Assignment]) -> None:
    for a in assignments:
        notify(
            [a.reviewer.user],
            link=_home(),
            code="certification.assignment.invited",
            params={"collective": a.application.collective.name, "due": a.due_on},
        )


def declined(a: Assignment) -> None:
    notify(
        city_admins(),
        link=reverse("certification:assignments", args=[a.application.round.code]),
        code="certification.assignment.declined",
        params={
            "reviewer": str(a.reviewer),
            "collective": a.application.collective.name,
            "reason": a.decline_reason,
        },
    )


def cancelled(a: Assignment) -> None:
    notify(
        [a.reviewer.user],
        link=_home(),
        code="certification.assignment.cancelled",
        params={"collective": a.application.collective.name},
    )


def conflict_declared(declaration: ConflictDeclaration, cancelled: list[Assignment]) -> None:
    link = (
        reverse("certification:assignments", args=[cancelled[0].application.round.code])
        if cancelled
        else reverse("certification:conflicts")
    )
    notify(
        city_admins(),
        link=link,
        code="certification.conflict.declared",
        params={
            "reviewer": str(declaration.reviewer),
            "collective": declaration.collective.name,
            "reason": declaration.reason,
            "n": len(cancelled),
        },
    )


def reminder(reviewer: Reviewer, count: int) -> None:
    notify(
        [reviewer.user],
        link=_home(),
        code="certification.assignment.reminder",
        params={"n": count},
    )
