"""The dashboard's figures, in the order the pages show them. Each names the list it breaks
down: its rows come from that list's own selector and filters, its bars link to that list.

To add a figure (a new stage's), add a ``Figure`` here over the stage's list selector; the
pages, the Excel file, the API and the annual report pick it up, and the consistency test
follows its bars to the list.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qnwmh.certification import progress
from qnwmh.certification.models import ApplicationStatus, CertificationRound
from qnwmh.certification.selectors.applications import ApplicationFilters, application_list
from qnwmh.collectives.models import STARS, Level, Ownership, Title
from qnwmh.collectives.selectors import (
    CollectiveFilters,
    collectives_visible_to,
    filter_collectives,
)
from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.core.scope import in_scope
from qnwmh.creation.models import REQUIRED_KINDS, EntryKind
from qnwmh.creation.selectors import EVIDENCE_CHOICES, EntryFilters, entry_list
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.cycles.selectors import (
    RegistrationFilters,
    quota_table,
    quotas_visible_to,
    registration_list,
)
from qnwmh.dashboards.figures import Columns, Figure, Params, Period, Reference, url
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.orgs.selectors import bodies_visible_to
from qnwmh.oversight.models import (
    AnnualReview,
    CaseStatus,
    ExitKind,
    Outcome,
    SanctionKind,
    VisitReason,
)
from qnwmh.oversight.selectors.exits import ExitFilters, exit_list
from qnwmh.oversight.selectors.review import review_cases
from qnwmh.oversight.selectors.sanctions import SanctionFilters, sanction_list
from qnwmh.oversight.selectors.spotcheck import RESULT_CHOICES as VISIT_RESULTS
from qnwmh.oversight.selectors.spotcheck import VisitFilters, visit_list
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision.models import ON_TIME, Category
from qnwmh.supervision.models import Status as ComplaintStatus
from qnwmh.supervision.selectors import (
    RATING_AVERAGE,
    ComplaintFilters,
    RatingFilters,
    complaints_visible_to,
    filter_complaints,
    month_choices,
    rating_average,
    rating_list,
)

COVERAGE = _("覆盖")
LEVELS = _("称号级别")
CYCLE = _("本届创建")
CERTIFICATION = _("评选认定")
CREATION = _("创建活动")
SUPERVISION = _("社会监督")
OVERSIGHT = _("动态管理")

# Categories ---------------------------------------------------------------------------------


def _choices(choices: Sequence[tuple[str, Any]]) -> Any:
    return lambda actor, present: [(value, label) for value, label in choices]


def _stages(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    # Read when asked: awards registers its stages when the apps start, after this import.
    return [(key, str(label)) for key, label in progress.choices()]


def _towns(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    # Every town, with its zero: the map of the 23 towns shows where there is nothing yet.
    return list(Town.objects.order_by("sort_order", "name").values_list("id", "name"))


def _sectors(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    return list(
        Sector.objects.filter(id__in=present)
        .order_by("sort_order", "name")
        .values_list("id", "name")
    )


def _levels_and_stars(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    # The pyramid from the top: national first, and within a level the most stars first.
    return [
        ((level, n), gettext("%(level)s · %(n)s 星") % {"level": label, "n": n})
        for level, label in Level.choices
        for n in reversed(STARS)
    ]


def _labelled_bodies(rows: QuerySet[Any], key: str = "id") -> list[tuple[Any, str]]:
    """Bodies in tree order as (``key``, short name or name): a figure's body categories."""
    ordered = rows.order_by("path").values_list(key, "short_name", "name")
    return [(k, short or name) for k, short, name in ordered]


def _bodies(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    return _labelled_bodies(Organisation.objects.filter(id__in=present))


def _months_of_ratings(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    return month_choices()


def _body_codes(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    # The visits list filters on the body's code, not its id.
    return _labelled_bodies(Organisation.objects.filter(code__in=present), key="code")


def _managing_bodies(actor: Actor, present: Sequence[Any]) -> list[tuple[Any, str]]:
    # Every managing body in scope, with its zeros: a body whose collectives held no open
    # week is what the heatmap is for.
    in_scope_or_present = Q(id__in=present) | Q(id__in=bodies_visible_to(actor).values("id"))
    return _labelled_bodies(Organisation.objects.filter(in_scope_or_present))


def _months_of_year(period: Period) -> list[tuple[Any, str]]:
    # The list's ``month`` filter reads YYYY-MM.
    return [(f"{period.year}-{m:02d}", _("%(month)d 月") % {"month": m}) for m in range(1, 13)]


def _evidence(period: Period) -> list[tuple[Any, str]]:
    return [(value, str(label)) for value, label in EVIDENCE_CHOICES]


COMPLAINT_STATES = [
    ("open", _("办理中")),
    ("overdue", _("已超期")),
    ("answered", _("已答复")),
    ("finished", _("已办结")),
]

# Rows: each list's own selector ------------------------------------------------------------


def register_day(period: Period) -> datetime.date:
    """The day a year's register is read on: its last day, or today while the year runs."""
    return min(timezone.localdate(), datetime.date(period.year, 12, 31))


def _collectives(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return filter_collectives(collectives_visible_to(actor), CollectiveFilters.from_query(params))


def _collectives_on_register(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    """The collectives list as it stood on the year's register day (``active_on``)."""
    return _collectives(actor, period, {**params, "active_on": register_day(period).isoformat()})


def _titles(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    """Active titles in the collectives list's scope (the same ``in_scope`` rule as
    ``collectives_visible_to``, through the title's collective). A collective holds at most
    one active title per level (a constraint), so a level's count of titles is the list's count
    of collectives filtered on that level: one GROUP BY instead of an EXISTS per level."""
    return in_scope(
        Title.objects.active(), actor, body="collective__body_id", collective="collective_id"
    )


def _registrations(actor: Actor, period: Period, params: Params) -> QuerySet[Any] | None:
    if period.cycle is None:
        return None
    return registration_list(actor, period.cycle, RegistrationFilters.from_query(params))


def _round(period: Period) -> CertificationRound | None:
    if period.cycle is None:
        return None
    return CertificationRound.objects.filter(cycle=period.cycle).first()


def _applications(actor: Actor, period: Period, params: Params) -> QuerySet[Any] | None:
    r = _round(period)
    if r is None:
        return None
    return application_list(actor, r, ApplicationFilters.from_query(params))


# References ----------------------------------------------------------------------------------


def _quotas(actor: Actor, period: Period) -> dict[Any, int] | None:
    """Each body's quota in the cycle (its ``final``: the override, else the computed one),
    the bodies the quota page shows the actor."""
    if period.cycle is None:
        return None
    return {q.body_id: q.final for q in quotas_visible_to(actor, period.cycle)}


def _caps(actor: Actor, period: Period) -> dict[Any, int] | None:
    """Each body's 2:1 certification cap as the quota page computes it (``quota_table``:
    ``cap_for`` over the body's accepted or filed registrations)."""
    if period.cycle is None:
        return None
    return {q.body_id: q.cap for q in quota_table(actor, period.cycle)}


def _review(period: Period) -> AnnualReview | None:
    return AnnualReview.objects.filter(year=period.year).first()


def _review_cases(actor: Actor, period: Period, params: Params) -> QuerySet[Any] | None:
    review = _review(period)
    if review is None:
        return None
    # The cases page reads these three parameters the same way (``oversight.views.review``).
    query = Query(params)
    return review_cases(
        actor,
        review,
        body=query.number("body"),
        status=query.choice("status", CaseStatus.values),
        outcome=query.choice("outcome", Outcome.values),
    )


def _year_entries(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return entry_list(actor, EntryFilters.from_query({**params, "year": period.year}))


def _cycle_entries(actor: Actor, period: Period, params: Params) -> QuerySet[Any] | None:
    if period.cycle is None:
        return None
    return entry_list(actor, EntryFilters.from_query({**params, "cycle": period.cycle.code}))


def _complaints(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    """Complaints received in the period's year (the list's ``year`` filter)."""
    filters = ComplaintFilters.from_query({**params, "year": period.year})
    return filter_complaints(complaints_visible_to(actor), filters)


def _ratings(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return rating_list(actor, RatingFilters.from_query({**params, "year": period.year}))


def _sanctions(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return sanction_list(actor, SanctionFilters.from_query({**params, "year": period.year}))


def _exits(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return exit_list(actor, ExitFilters.from_query({**params, "year": period.year}))


def _visits(actor: Actor, period: Period, params: Params) -> QuerySet[Any]:
    return visit_list(actor, VisitFilters.from_query({**params, "year": period.year}))


# Links ---------------------------------------------------------------------------------------


def _to_collectives(period: Period) -> tuple[str, Params]:
    return url("collectives:list"), {}


def _to_collectives_on_register(period: Period) -> tuple[str, Params]:
    return url("collectives:list"), {"active_on": register_day(period).isoformat()}


def _to_last_years_register(period: Period) -> tuple[str, Params]:
    return _to_collectives_on_register(dataclasses.replace(period, year=period.year - 1))


def _to_registrations(period: Period) -> tuple[str, Params]:
    assert period.cycle is not None  # rows are None without a cycle: no chart, no link
    return url("cycles:registrations", period.cycle.code), {}


def _to_applications(period: Period) -> tuple[str, Params]:
    r = _round(period)
    assert r is not None
    return url("certification:applications", r.code), {}


def _to_review_cases(period: Period) -> tuple[str, Params]:
    review = _review(period)
    assert review is not None
    return url("oversight:review_cases", review.code), {}


def _to_year_entries(period: Period) -> tuple[str, Params]:
    return url("creation:entries"), {"year": period.year}


def _to_cycle_entries(period: Period) -> tuple[str, Params]:
    assert period.cycle is not None
    return url("creation:entries"), {"cycle": period.cycle.code}


def _to_complaints(period: Period) -> tuple[str, Params]:
    return url("supervision:list"), {"year": period.year}


def _to_ratings(period: Period) -> tuple[str, Params]:
    return url("supervision:ratings"), {"year": period.year}


def _to_sanctions(period: Period) -> tuple[str, Params]:
    return url("oversight:sanctions"), {"year": period.year}


def _to_exits(period: Period) -> tuple[str, Params]:
    return url("oversight:exits"), {"year": period.year}


# References and rules -----------------------------------------------------------------------


def _last_year(key: str) -> Callable[[Actor, Period], dict[Any, int] | None]:
    """The figure's own counts a year earlier: the same list on the previous year's register
    day, so last year's number is a list's count too (its link with that year's day)."""

    def values(actor: Actor, period: Period) -> dict[Any, int] | None:
        figure = next(fig for fig in FIGURES if fig.key == key)
        counts = figure.counts(actor, dataclasses.replace(period, year=period.year - 1))
        if counts is None:
            return None
        # Every category gets its number: none last year is a 0 to compare with, not a gap.
        return {v: counts.get(v, 0) for v, _label in figure.categories(actor, list(counts))}

    return values


def _non_public_minimum(period: Period) -> int:
    return ProgrammeRules.current().nonpublic_min_per_town


def _to_visits(period: Period) -> tuple[str, Params]:
    return url("oversight:visits"), {"year": period.year}


# References -----------------------------------------------------------------------------------


def _rating_averages(actor: Actor, period: Period) -> dict[Any, float]:
    """Each month's average score, of the same rows the month's bar counts (one GROUP BY; a
    month without ratings has none)."""
    rows = _ratings(actor, period, {}).order_by().values("day__month")
    averages = rows.annotate(avg=RATING_AVERAGE).values_list("day__month", "avg")
    return {month: rating_average(avg) or 0.0 for month, avg in averages}


# The catalogue -------------------------------------------------------------------------------

COMPLAINTS_BY_CATEGORY = Figure(
    key="complaints_by_category",
    title=_("投诉（按类别）"),
    section=SUPERVISION,
    axis=_("类别"),
    rows=_complaints,
    link=_to_complaints,
    param="category",
    group="category",
    categories=_choices(Category.choices),
)
COMPLAINTS_BY_BODY = Figure(
    key="complaints_by_body",
    title=_("投诉（按组织管理机构）"),
    section=SUPERVISION,
    axis=_("组织管理机构"),
    rows=_complaints,
    link=_to_complaints,
    param="body",
    group="body_id",
    categories=_bodies,
    drop_empty=True,
)


def _on_time(key: str, title: Any, received: Figure, step: str) -> Figure:
    """``received``'s breakdown of the complaints whose ``step`` (``ack``: acknowledged,
    ``finish``: finished) was done by its deadline (the list's filter of that name), with
    ``received``'s own count beside each bar."""
    return dataclasses.replace(
        received,
        key=key,
        title=title,
        extra={step: ON_TIME},
        reference=Reference(label=_("接收"), values=received.counts),
    )


FIGURES: list[Figure] = [
    Figure(
        key="collectives_by_town",
        title=_("各镇区集体数"),
        section=COVERAGE,
        axis=_("镇区"),
        rows=_collectives,
        link=_to_collectives,
        param="town",
        group="town_id",
        categories=_towns,
    ),
    Figure(
        key="non_public_by_town",
        title=_("各镇区在册非公企业集体数（与上年比）"),
        section=COVERAGE,
        axis=_("镇区"),
        # On the register at the end of the year (today while it runs), beside the end of the
        # year before: the rule is "every town at least one, and more each year".
        rows=_collectives_on_register,
        link=_to_collectives_on_register,
        param="town",
        group="town_id",
        categories=_towns,
        extra={"ownership": Ownership.NON_PUBLIC},
        reference=Reference(
            label=_("上年"),
            values=_last_year("non_public_by_town"),
            link=_to_last_years_register,
        ),
        minimum=_non_public_minimum,
    ),
    Figure(
        key="collectives_by_sector",
        title=_("各行业系统集体数"),
        section=COVERAGE,
        axis=_("行业系统"),
        rows=_collectives,
        link=_to_collectives,
        param="sector",
        group="sector_id",
        categories=_sectors,
        drop_empty=True,
    ),
    Figure(
        key="collectives_by_ownership",
        title=_("各单位性质集体数"),
        section=COVERAGE,
        axis=_("单位性质"),
        rows=_collectives,
        link=_to_collectives,
        param="ownership",
        group="ownership",
        categories=_choices(Ownership.choices),
    ),
    Figure(
        key="collectives_by_body",
        title=_("各组织管理机构集体数"),
        section=COVERAGE,
        axis=_("组织管理机构"),
        rows=_collectives,
        link=_to_collectives,
        param="body",
        group="body_id",
        categories=_bodies,
        drop_empty=True,
    ),
    Figure(
        key="titled_by_level",
        title=_("有效称号的集体（按级别）"),
        section=LEVELS,
        axis=_("级别"),
        rows=_titles,
        link=_to_collectives,
        param="level",
        group="level",
        categories=_choices(Level.choices),
        # The rows are titles: a collective may hold titles at several levels, and no list
        # counts the titled collectives, so the bars have no total.
        has_total=False,
    ),
    Figure(
        key="titled_by_level_and_stars",
        title=_("有效称号的集体（按级别和星级）"),
        section=LEVELS,
        axis=_("级别和星级"),
        rows=_titles,
        link=_to_collectives,
        # One category per level and stars: the pyramid in one chart, national at the top.
        # A collective holds one active title per level, so each bar is the list's count of
        # collectives filtered on that level and those stars.
        param=("level", "stars"),
        group=("level", "stars"),
        categories=_levels_and_stars,
        drop_empty=True,
        has_total=False,
    ),
    Figure(
        key="registrations_by_status",
        title=_("本届报备（按状态）"),
        section=CYCLE,
        axis=_("状态"),
        rows=_registrations,
        link=_to_registrations,
        param="status",
        group="status",
        categories=_choices(RegistrationStatus.choices),
    ),
    Figure(
        key="registrations_by_body",
        title=_("本届报备（按组织管理机构）"),
        section=CYCLE,
        axis=_("组织管理机构"),
        rows=_registrations,
        link=_to_registrations,
        param="body",
        group="body_id",
        categories=_bodies,
        drop_empty=True,
    ),
    Figure(
        key="registrations_by_town",
        title=_("本届报备（按镇区）"),
        section=CYCLE,
        axis=_("镇区"),
        rows=_registrations,
        link=_to_registrations,
        param="town",
        group="town_id",
        categories=_towns,
    ),
    Figure(
        key="quota_used_by_body",
        title=_("名额使用（按组织管理机构）"),
        section=CYCLE,
        axis=_("组织管理机构"),
        rows=_registrations,
        link=_to_registrations,
        param="body",
        group="body_id",
        categories=_bodies,
        drop_empty=True,
        # Accepted or filed: the registrations that hold a place, as the quota table counts.
        extra={"counted": "1"},
        reference=Reference(label=_("名额"), values=_quotas),
    ),
    Figure(
        key="applications_by_status",
        title=_("认定申报（按状态）"),
        section=CERTIFICATION,
        axis=_("状态"),
        rows=_applications,
        link=_to_applications,
        param="status",
        group="status",
        categories=_choices(ApplicationStatus.choices),
    ),
    Figure(
        key="recommended_by_body",
        title=_("推荐申报与比例上限（按组织管理机构）"),
        section=CERTIFICATION,
        axis=_("组织管理机构"),
        rows=_applications,
        link=_to_applications,
        param="body",
        group="body_id",
        categories=_bodies,
        drop_empty=True,
        # At most half of a body's registrations may be certified; what it put forward
        # (recommended) beside that cap.
        extra={"status": ApplicationStatus.RECOMMENDED},
        reference=Reference(label=_("比例上限"), values=_caps),
    ),
    Figure(
        key="applications_by_progress",
        title=_("认定进展"),
        section=CERTIFICATION,
        axis=_("进展"),
        rows=_applications,
        link=_to_applications,
        param="progress",
        categories=_stages,
    ),
    Figure(
        key="open_weeks_by_body_month",
        title=_("本年度各月开放周（按组织管理机构）"),
        section=CREATION,
        axis=_("组织管理机构"),
        rows=_year_entries,
        link=_to_year_entries,
        param="body",
        group="collective__body_id",
        categories=_managing_bodies,
        extra={"kind": EntryKind.OPEN_WEEK},
        columns=Columns(axis=_("月份"), param="month", categories=_months_of_year),
    ),
    Figure(
        key="required_activities_by_evidence",
        title=_("本届规定活动的佐证（按类别）"),
        section=CREATION,
        axis=_("类别"),
        rows=_cycle_entries,
        link=_to_cycle_entries,
        param="kind",
        group="kind",
        categories=_choices([(k.value, k.label) for k in REQUIRED_KINDS]),
        columns=Columns(axis=_("佐证"), param="evidence", categories=_evidence, draw="stack"),
        # The bars are the kinds that count towards compliance (练兵、培训、开放周), not every
        # kind of the cycle's log, so their sum is not the list's count.
        has_total=False,
    ),
    Figure(
        key="complaints_by_state",
        title=_("投诉办理情况"),
        section=SUPERVISION,
        axis=_("办理情况"),
        rows=_complaints,
        link=_to_complaints,
        param="state",
        categories=_choices(COMPLAINT_STATES),
    ),
    Figure(
        key="complaints_by_status",
        title=_("投诉（按状态）"),
        section=SUPERVISION,
        axis=_("状态"),
        rows=_complaints,
        link=_to_complaints,
        param="status",
        group="status",
        categories=_choices(ComplaintStatus.choices),
    ),
    COMPLAINTS_BY_CATEGORY,
    COMPLAINTS_BY_BODY,
    # Received, acknowledged and finished on time: each bar counts the complaints of a body
    # (a category) done by their working-day deadline, beside all received (the figures just
    # above, as the reference), so each row reads "this many of those".
    _on_time(
        "complaints_acknowledged_on_time_by_body",
        _("按期受理的投诉（按组织管理机构）"),
        COMPLAINTS_BY_BODY,
        "ack",
    ),
    _on_time(
        "complaints_finished_on_time_by_body",
        _("按期办结的投诉（按组织管理机构）"),
        COMPLAINTS_BY_BODY,
        "finish",
    ),
    _on_time(
        "complaints_acknowledged_on_time_by_category",
        _("按期受理的投诉（按类别）"),
        COMPLAINTS_BY_CATEGORY,
        "ack",
    ),
    _on_time(
        "complaints_finished_on_time_by_category",
        _("按期办结的投诉（按类别）"),
        COMPLAINTS_BY_CATEGORY,
        "finish",
    ),
    Figure(
        key="ratings_by_month",
        title=_("公众评价（按月）"),
        section=SUPERVISION,
        axis=_("月份"),
        rows=_ratings,
        link=_to_ratings,
        param="month",
        group="day__month",
        categories=_months_of_ratings,
        # The count of ratings per month links to the ratings list; the average score of the
        # same ratings stands beside it.
        reference=Reference(label=_("平均评分"), values=_rating_averages),
    ),
    Figure(
        key="review_cases_by_status",
        title=_("本年度复核（按进度）"),
        section=OVERSIGHT,
        axis=_("进度"),
        rows=_review_cases,
        link=_to_review_cases,
        param="status",
        group="status",
        categories=_choices(CaseStatus.choices),
    ),
    Figure(
        key="review_cases_by_outcome",
        title=_("本年度复核（按结果）"),
        section=OVERSIGHT,
        axis=_("结果"),
        rows=_review_cases,
        link=_to_review_cases,
        param="outcome",
        group="outcome",
        categories=_choices(Outcome.choices),
    ),
    Figure(
        key="sanctions_by_kind",
        title=_("本年度处理（按方式）"),
        section=OVERSIGHT,
        axis=_("处理方式"),
        rows=_sanctions,
        link=_to_sanctions,
        param="kind",
        group="kind",
        categories=_choices(SanctionKind.choices),
    ),
    Figure(
        key="exits_by_kind",
        title=_("本年度称号退出（按方式）"),
        section=OVERSIGHT,
        axis=_("退出方式"),
        rows=_exits,
        link=_to_exits,
        param="kind",
        group="kind",
        categories=_choices(ExitKind.choices),
    ),
    Figure(
        key="spot_checks_by_result",
        title=_("本年度随机抽检（按结论）"),
        section=OVERSIGHT,
        axis=_("检查结论"),
        rows=_visits,
        link=_to_visits,
        param="result",
        # One count per conclusion: "none yet" is a blank column, which the list names
        # ``pending`` (a GROUP BY's key would link to the unfiltered list).
        categories=_choices(VISIT_RESULTS),
        extra={"reason": VisitReason.RANDOM},
    ),
    Figure(
        key="spot_checks_by_body",
        title=_("本年度随机抽检（按组织管理机构）"),
        section=OVERSIGHT,
        axis=_("组织管理机构"),
        rows=_visits,
        link=_to_visits,
        param="body",
        group="collective__body__code",
        categories=_body_codes,
        drop_empty=True,
        extra={"reason": VisitReason.RANDOM},
    ),
    Figure(
        key="visits_by_reason",
        title=_("本年度明察暗访（按抽检原因）"),
        section=OVERSIGHT,
        axis=_("抽检原因"),
        rows=_visits,
        link=_to_visits,
        param="reason",
        group="reason",
        categories=_choices(VisitReason.choices),
    ),
]
