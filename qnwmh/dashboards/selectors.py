"""Reads of the dashboards: which cycle and year a request asks for, among those the actor
may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qnwmh.core.actor import Actor
from qnwmh.core.querystring import Query
from qnwmh.cycles.models import Cycle
from qnwmh.cycles.selectors import current_cycle, cycles_visible_to
from qnwmh.dashboards.figures import Period, year_choices


def cycle_choices(actor: Actor) -> QuerySet[Cycle]:
    return cycles_visible_to(actor).order_by("-session_no")


def period_from_query(actor: Actor, params: Any) -> Period:
    """The cycle named by ``cycle`` (its code) if the actor sees it, else the current one (or
    the newest); the year named by ``year`` if offered, else this year."""
    query = Query(params)
    code = query.text("cycle", max_length=12)
    cycle = cycle_choices(actor).filter(code=code).first() if code else None
    cycle = cycle or current_cycle(actor) or cycle_choices(actor).first()
    years = year_choices()
    year = query.number("year", low=2000, high=2100)
    return Period(cycle=cycle, year=year if year in years else years[0])
