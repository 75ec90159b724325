"""Reads over the quantified standard: the versions by year, one version with its items grouped
by source and the reviews that use it. City staff and the bodies read every version (a standard
is the same for all); no one else reaches one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from qnwmh.core.actor import Actor
from qnwmh.oversight.models import AnnualReview, Source, Standard, StandardItem


def standards_visible_to(actor: Actor) -> QuerySet[Standard]:
    if actor.is_city_admin or actor.is_body_admin:
        return Standard.objects.annotate(
            item_count=Count("items", distinct=True), total_points=Sum("items__points")
        ).order_by("-year", "-version")
    return Standard.objects.none()


def standard_detail(actor: Actor, code: str) -> Standard:
    return get_object_or_404(standards_visible_to(actor), code=code)


def standards_by_year(actor: Actor) -> list[tuple[int, list[Standard]]]:
    """Each year with its versions, newest first; which review uses each (one more query)."""
    rows = list(standards_visible_to(actor))
    used: dict[int, list[AnnualReview]] = {}
    for r in AnnualReview.objects.filter(standard_id__in=[s.pk for s in rows]):
        used.setdefault(r.standard_id, []).append(r)
    years: dict[int, list[Standard]] = {}
    for s in rows:
        s.used_by = used.get(s.pk, [])  # type: ignore[attr-defined]
        years.setdefault(s.year, []).append(s)
    return list(years.items())


@dataclass
class SourceGroup:
    source: str
    label: str
    items: list[StandardItem] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


def items_by_source(s: Standard) -> list[SourceGroup]:
    """The items grouped by who scores them, in the order of ``Source``, with totals."""
    groups = {src: SourceGroup(src, str(label)) for src, label in Source.choices}
    for item in s.items.order_by("position"):
        groups[item.source].items.append(item)
    return [g for g in groups.values() if g.items]


def reviews_using(s: Standard) -> list[AnnualReview]:
    return list(s.reviews.order_by("-year"))
