"""The standard a new year starts from when there is no earlier version to copy: 100 points,
items of every source, the marks of the issue's defaults. City staff change it freely until a
re-review uses it."""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qnwmh.oversight.models import Metric, Source


class ItemDefault(NamedTuple):
    label: str | Promise
    points: int
    source: str
    metric: str = ""
    evidence_required: bool = False


ITEMS: list[ItemDefault] = [
    ItemDefault(_("亮形象、亮身份、亮承诺，服务承诺公示"), 15, Source.SELF, evidence_required=True),
    ItemDefault(_("创建计划执行与台帐规范"), 15, Source.BODY),
    ItemDefault(_("岗位练兵、技能培训等创建活动"), 10, Source.SELF, evidence_required=True),
    ItemDefault(_("团建工作与青年成长"), 10, Source.BODY),
    ItemDefault(_("创建日志按月填写"), 20, Source.COMPUTED, Metric.CREATION_COMPLIANCE),
    ItemDefault(_("每月开放周"), 10, Source.COMPUTED, Metric.OPEN_WEEKS),
    ItemDefault(_("年度属实投诉（每件扣分）"), 10, Source.COMPUTED, Metric.UPHELD_COMPLAINTS),
    ItemDefault(_("年度群众评分"), 10, Source.COMPUTED, Metric.RATINGS),
]
PASS_MARK, WARNING_MARK, STAR_DOWN_MARK = 80, 70, 60
