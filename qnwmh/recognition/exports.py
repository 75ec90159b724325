"""Excel of the rewards register and of the stories an actor sees, filtered as on the page;
large lists are built in the background."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.recognition.selectors import RewardFilters, StoryFilters, reward_list, story_list


def rewards_export(actor: Actor, filters: RewardFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=reward_list(actor, filters).count(),
        label=_("奖励登记"),
        run=rewards_file,
        filters=filters,
    )


def rewards_file(actor: Actor, *, filters: RewardFilters) -> FileResponse:
    header = [
        str(_("组织管理机构")),
        str(_("集体")),
        str(_("奖励类别")),
        str(_("奖励名称")),
        str(_("奖励依据")),
        str(_("决定文号")),
        str(_("决定日期")),
        str(_("决定机关")),
        str(_("金额（元）")),
        str(_("奖励内容")),
        str(_("相关称号编号")),
        str(_("状态")),
        str(_("撤销理由")),
    ]

    def rows() -> Iterator[list[Any]]:
        for r in reward_list(actor, filters).iterator(chunk_size=2000):
            yield [
                r.collective.body.name,
                r.collective.name,
                choice_label(r, "kind"),
                r.name,
                r.basis,
                r.decision_number,
                r.decided_on,
                r.decided_by_org,
                r.amount if r.amount is not None else "",
                r.description,
                r.title.code if r.title else "",
                choice_label(r, "status"),
                r.withdrawn_reason,
            ]

    return export_xlsx(
        actor,
        code="recognition.reward.exported",
        filename="rewards",
        sheets=[(str(_("奖励登记")), header, rows())],
        filters=filters.as_dict(),
    )


def stories_export(actor: Actor, filters: StoryFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=story_list(actor, filters).count(),
        label=_("典型案例"),
        run=stories_file,
        filters=filters,
    )


def stories_file(actor: Actor, *, filters: StoryFilters) -> FileResponse:
    header = [
        str(_("组织管理机构")),
        str(_("集体")),
        str(_("标题")),
        str(_("摘要")),
        str(_("状态")),
        str(_("提交时间")),
        str(_("发布时间")),
        str(_("说明")),
    ]

    def rows() -> Iterator[list[Any]]:
        for s in story_list(actor, filters).iterator(chunk_size=2000):
            yield [
                s.collective.body.name,
                s.collective.name,
                s.heading,
                s.summary,
                choice_label(s, "status"),
                s.submitted_at or "",
                s.published_at or "",
                s.note,
            ]

    return export_xlsx(
        actor,
        code="recognition.story.exported",
        filename="stories",
        sheets=[(str(_("典型案例")), header, rows())],
        filters=filters.as_dict(),
    )
