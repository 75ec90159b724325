"""Reads over nominations upward (推报): the provincial rounds, the nominations each actor may
see, the city titles eligible for a round, and which city titles are exempt from the city's
re-review because their collective holds a higher title.

Eligibility is one rule written twice — as a query (``eligible_titles``, for lists) and as a
reason for one title (``ineligibility``, for the service's refusal) — and a test checks that
the two agree. The years a city title must be held come from the latest programme rules
(``ProgrammeRules.current().nomination_min_title_years``), counted to the round's deadline.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from qnwmh.awards.models import Nomination, NominationRound, NominationStatus
from qnwmh.collectives.models import (
    HIGHER_LEVELS,
    Collective,
    CollectiveStatus,
    Level,
    Title,
    TitleStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.programme.models import ProgrammeRules

# Nominations that hold a place in their round's quota (a withdrawn one gives it back).
LIVE = (NominationStatus.NOMINATED, NominationStatus.GRANTED, NominationStatus.NOT_GRANTED)


# Rounds -----------------------------------------------------------------------------------------


def rounds_visible_to(actor: Actor) -> QuerySet[NominationRound]:
    """City staff and the bodies see every round (a body sees only its own nominations in it)."""
    if actor.is_city_admin or actor.is_body_admin:
        return NominationRound.objects.annotate(
            live=Count("nominations", filter=Q(nominations__status__in=LIVE))
        )
    return NominationRound.objects.none()


def round_detail(actor: Actor, code: str) -> NominationRound:
    return get_object_or_404(rounds_visible_to(actor), code=code)


def live_count(r: NominationRound) -> int:
    return r.nominations.filter(status__in=LIVE).count()


# Nominations ------------------------------------------------------------------------------------


def nominations_visible_to(actor: Actor) -> QuerySet[Nomination]:
    """City staff all; a body its subtree's collectives'; a manager its collectives'."""
    return in_scope(
        Nomination.objects.all(), actor, body="collective__body", collective="collective"
    )


def round_nominations(actor: Actor, r: NominationRound) -> QuerySet[Nomination]:
    """The round's nominations in the actor's scope, in nomination order (withdrawn last)."""
    return (
        nominations_visible_to(actor)
        .filter(round=r)
        .select_related(
            "collective", "collective__body", "collective__town", "title", "provincial_title"
        )
        # Withdrawn ones keep their old position; list them after the live ones.
        .order_by(_withdrawn_last(), "position", "id")
    )


def _withdrawn_last() -> Case:
    return Case(When(status=NominationStatus.WITHDRAWN, then=Value(1)), default=Value(0))


def nomination_detail(actor: Actor, code: str, ncode: str) -> Nomination:
    """A nomination of a round the actor can see, or Http404."""
    r = round_detail(actor, code)
    n = get_object_or_404(
        nominations_visible_to(actor)
        .filter(round=r)
        .select_related(
            "collective", "collective__body", "collective__town", "title", "provincial_title"
        ),
        code=ncode,
    )
    n.round = r
    return n


def collective_nominations(collective: Collective) -> list[Nomination]:
    """A collective's nominations, newest round first (shown on its page)."""
    return list(
        collective.nominations.select_related("round", "title", "provincial_title").order_by(
            "-round__year", "-round_id", "-id"
        )
    )


def free_position(r: NominationRound) -> int:
    """The first position (1…) no live nomination of the round holds."""
    taken = set(r.nominations.filter(status__in=LIVE).values_list("position", flat=True))
    return next(p for p in range(1, len(taken) + 2) if p not in taken)


# Eligibility ------------------------------------------------------------------------------------


def min_title_years() -> int:
    return int(ProgrammeRules.current().nomination_min_title_years)


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (29 February → 1 March: a full year has then passed)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _holds_higher() -> Exists:
    return Exists(
        Title.objects.filter(
            collective=OuterRef("collective"),
            level__in=HIGHER_LEVELS,
            status=TitleStatus.ACTIVE,
        )
    )


def _nominated_for(r: NominationRound) -> Exists:
    """Already on this round's list (any live state), or awaiting the province's answer in
    another round."""
    return Exists(
        Nomination.objects.filter(collective=OuterRef("collective")).filter(
            Q(round=r, status__in=LIVE) | Q(status=NominationStatus.NOMINATED)
        )
    )


def eligible_titles(
    r: NominationRound, *, years: int | None = None, q: str = ""
) -> QuerySet[Title]:
    """Active city titles held at least ``years`` (the rules') by the round's deadline, of an
    active collective holding no active provincial or national title and not already
    nominated (see ``_nominated_for``), by the collective's name."""
    years = min_title_years() if years is None else years
    qs = (
        Title.objects.active()
        .filter(
            level=Level.CITY,
            awarded_on__lte=years_before(r.deadline, years),
            collective__status=CollectiveStatus.ACTIVE,
        )
        .exclude(_holds_higher())
        .exclude(_nominated_for(r))
    )
    if q:
        qs = qs.filter(collective__name__icontains=q)
    return qs.select_related("collective", "collective__body", "collective__town").order_by(
        "collective__sort_key", "id"
    )


def not_yet_eligible_count(r: NominationRound, *, years: int | None = None) -> int:
    """Active city titles held too briefly by the deadline (shown so the clerk knows why a
    collective is missing from the list)."""
    years = min_title_years() if years is None else years
    return (
        Title.objects.active()
        .filter(level=Level.CITY, awarded_on__gt=years_before(r.deadline, years))
        .count()
    )


def ineligibility(r: NominationRound, title: Title, *, years: int | None = None) -> str | None:
    """Why ``title`` cannot be nominated in ``r`` (a sentence), or None when it can."""
    years = min_title_years() if years is None else years
    if title.level != Level.CITY:
        return _("只有市级称号可以推报。")
    if title.status != TitleStatus.ACTIVE:
        return _("该称号已终止，不能推报。")
    collective = title.collective
    if collective.status != CollectiveStatus.ACTIVE:
        return _("该集体已归档，不能推报。")
    if title.awarded_on > years_before(r.deadline, years):
        return _(
            "该称号于 %(on)s 授予，至报送截止日期 %(deadline)s 持有不满 %(n)s 年，"
            "%(from)s 起方可推报。"
        ) % {
            "on": title.awarded_on.isoformat(),
            "deadline": r.deadline.isoformat(),
            "n": years,
            "from": years_after(title.awarded_on, years).isoformat(),
        }
    if collective.titles.filter(level__in=HIGHER_LEVELS, status=TitleStatus.ACTIVE).exists():
        return _("该集体已持有有效的省级或全国级称号，无需推报。")
    if collective.nominations.filter(round=r, status__in=LIVE).exists():
        return _("该集体已列入本批次推报名单，不能重复推报。")
    pending = (
        collective.nominations.filter(status=NominationStatus.NOMINATED)
        .select_related("round")
        .first()
    )
    if pending is not None:
        return _("该集体在“%(round)s”中的推报尚无结果，不能同时推报。") % {
            "round": pending.round.name
        }
    return None


# Exemption from the city's re-review ------------------------------------------------------------


def exempt_from_city_review(title_ids: Iterable[int]) -> dict[int, str]:
    """Which of these titles are exempt from the city's re-review (复核), with the reason: an
    active city title whose collective holds an active provincial or national title keeps it
    without review (自然保留), as the policy says. Two queries, whatever the number of ids."""
    city = dict(
        Title.objects.filter(
            id__in=list(title_ids), level=Level.CITY, status=TitleStatus.ACTIVE
        ).values_list("id", "collective_id")
    )
    if not city:
        return {}
    higher: dict[int, Title] = {}
    for t in Title.objects.filter(
        collective_id__in=set(city.values()), level__in=HIGHER_LEVELS, status=TitleStatus.ACTIVE
    ).order_by("collective_id", "level"):
        # National before provincial: "national" sorts first, and it is the one to name.
        higher.setdefault(t.collective_id, t)
    out: dict[int, str] = {}
    for title_id, collective_id in city.items():
        held = higher.get(collective_id)
        if held is not None:
            out[title_id] = _(
                "该集体持有有效的%(level)s青年文明号（%(year)s 年度），市级称号自然保留，"
                "免于市级复核。"
            ) % {"level": Level(held.level).label, "year": held.year}
    return out
