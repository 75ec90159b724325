"""Builders for oversight: city titles, a standard with an item of every source, a re-review
with its cases made directly, and sanctions and rectifications put straight in the database —
so each part's tests start from the state they need without another part's services."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.collectives.models import Level, Title
from qnwmh.orgs.models import Organisation
from qnwmh.oversight.models import (
    AnnualReview,
    Basis,
    CaseStatus,
    Exit,
    ExitKind,
    Metric,
    Rectification,
    ReviewCase,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Source,
    SpotCheck,
    Standard,
    StandardItem,
    Visit,
    VisitReason,
    VisitStatus,
)
from tests import factories as f
from tests.factories_awards import city_user

_seq = itertools.count(1)

# (label, points, source, metric): 100 points, one item of each source and every metric.
ITEMS: list[tuple[str, int, str, str]] = [
    ("服务承诺与窗口形象", 20, Source.SELF, ""),
    ("创建计划执行情况", 20, Source.BODY, ""),
    ("创建日志按月填写", 20, Source.COMPUTED, Metric.CREATION_COMPLIANCE),
    ("每月开放周", 15, Source.COMPUTED, Metric.OPEN_WEEKS),
    ("年度属实投诉", 15, Source.COMPUTED, Metric.UPHELD_COMPLAINTS),
    ("群众评分", 10, Source.COMPUTED, Metric.RATINGS),
]


def city_title(
    body: Organisation | None = None, *, stars: int = 1, year: int = 2024, **kwargs: Any
) -> Title:
    """An active city title of a new collective of ``body``."""
    c = f.collective(body or f.body(), name=f"复核集体{next(_seq)}", **kwargs)
    return f.title(c, Level.CITY, stars=stars, year=year, session_no=22)


def standard(year: int = 2026, *, frozen: bool = False, **marks: Any) -> Standard:
    s = Standard.objects.create(
        year=year,
        name=f"{year} 年度青年文明号量化考核标准",
        created_by=city_user(),
        frozen_at=timezone.now() if frozen else None,
        **marks,
    )
    for i, (label, points, source, metric) in enumerate(ITEMS, start=1):
        StandardItem.objects.create(
            standard=s, position=i, label=label, points=points, source=source, metric=metric
        )
    return s


def review(
    titles: list[Title], *, year: int = 2026, exempt: dict[int, str] | None = None
) -> AnnualReview:
    """An open re-review of ``titles`` (cases awaiting the self-report; ``exempt`` maps title
    ids to their exemption reason), its standard frozen."""
    today = timezone.localdate()
    r = AnnualReview.objects.create(
        year=year,
        standard=standard(year, frozen=True),
        self_report_due=today + datetime.timedelta(days=14),
        assessment_due=today + datetime.timedelta(days=28),
        opened_by=city_user(),
    )
    exempt = exempt or {}
    for t in titles:
        ReviewCase.objects.create(
            review=r,
            title=t,
            collective=t.collective,
            body=t.collective.body,
            status=CaseStatus.EXEMPT if t.id in exempt else CaseStatus.AWAITING_SELF,
            exempt_reason=exempt.get(t.id, ""),
        )
    return r


def sanction(
    title: Title,
    kind: str = SanctionKind.WARNING,
    *,
    status: str = SanctionStatus.IMPOSED,
    basis: str = Basis.OTHER,
    **kwargs: Any,
) -> Sanction:
    """A sanction record as it stands after the service (the title's stars are not touched)."""
    decided = timezone.now() if status != SanctionStatus.PROPOSED else None
    return Sanction.objects.create(
        title=title,
        collective=title.collective,
        kind=kind,
        status=status,
        basis=basis,
        reason=kwargs.pop("reason", "测试处理"),
        decided_at=decided,
        stars_before=title.stars,
        stars_after=title.stars,
        **kwargs,
    )


def rectification(
    title: Title, *, due_on: datetime.date | None = None, **kwargs: Any
) -> Rectification:
    return Rectification.objects.create(
        title=title,
        collective=title.collective,
        basis=kwargs.pop("basis", Basis.SPOT_CHECK),
        requirements=kwargs.pop("requirements", "补齐创建日志，完善服务承诺公示。"),
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=30),
        ordered_by=city_user(),
        **kwargs,
    )


def spot_check(year: int) -> SpotCheck:
    """A year's draw with nothing drawn: visits are added to it with ``visit``."""
    return SpotCheck.objects.create(year=year, pct=10, seed=f"test-{year}", drawn_by=city_user())


def visit(
    title: Title,
    *,
    reason: str = VisitReason.RANDOM,
    result: str = "",
    check: SpotCheck | None = None,
    **kwargs: Any,
) -> Visit:
    """A visit as the services leave it: recorded when it has a result, else planned."""
    return Visit.objects.create(
        title=title,
        collective=title.collective,
        spot_check=check,
        reason=reason,
        result=result,
        status=VisitStatus.RECORDED if result else VisitStatus.PLANNED,
        **kwargs,
    )


def title_exit(title: Title, kind: str = ExitKind.DISSOLVED, **kwargs: Any) -> Exit:
    """An exit record as it stands after the service (the title itself is not ended)."""
    return Exit.objects.create(
        title=title,
        collective=title.collective,
        kind=kind,
        reason=kwargs.pop("reason", "集体撤并"),
        on=kwargs.pop("on", timezone.localdate()),
        recorded_by=city_user(),
        **kwargs,
    )
