"""The one place every dashboard number is computed.

A *figure* is a named breakdown of one list: the rows are the list's own scoped, filtered
queryset (built by the list's selector, never restated here), and each bar is the count of
the rows in one category with the list's URL and the query string that shows exactly those
rows. The pages, the Excel file, the JSON API and the annual report all read ``charts``, so
a number is never computed twice in two ways, and a test can follow each bar to its list and
compare the counts.

Two ways of counting, both over the list's queryset:
- ``group``: one ``GROUP BY`` on a field the list filters on (``town``, ``status``);
- ``each``: one count per category, each with the list's own filter applied (a complaint's
  "overdue" is a query, not a column).

A figure may have a second dimension (``Columns``): each bar then splits into cells, one per
column, each the list's count with both filters, drawn as a heatmap or stacked bars.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from qnwmh.core.actor import Actor
from qnwmh.cycles.models import Cycle

Params = dict[str, Any]
# A grid's counts: per column value, per row value.
Grid = dict[Any, dict[Any, int]]


@dataclass(frozen=True)
class Period:
    """What the dashboard looks at: a cycle (its registrations and certification) and a year
    (the year's sanctions and exits). The directory's figures are as of today."""

    cycle: Cycle | None
    year: int

    @classmethod
    def default(cls, cycle: Cycle | None = None) -> Period:
        return cls(cycle=cycle, year=timezone.localdate().year)


@dataclass(frozen=True)
class Cell:
    """One bar's count in one column of a grid, with the list showing exactly those rows."""

    key: str
    value: int
    url: str


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    url: str
    # The figure's second number for this category (its ``Reference``), if it has one.
    reference: float | None = None
    # The list the reference counts, where it is a list's count (last year's); else empty.
    reference_url: str = ""
    # A grid's cells, one per ``Chart.columns`` in order; empty for a plain bar chart.
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    section: str
    axis: str
    bars: list[Bar]
    # The count of the unfiltered list the bars break down (``list_url``), or None where no
    # list counts what the bars add up to. Never the sum of the bars: bars may overlap (an
    # overdue complaint is also open), leave rows out (collectives without a sector) or count
    # something else than the list's rows (titles of a collective at several levels).
    total: int | None
    list_url: str
    # What the bars' ``reference`` numbers are (a quota, last year's count); empty: none.
    reference_label: str = ""
    # The least each bar should reach by the programme's rules (a bar below it is flagged in
    # words in the table), or None where no rule sets one.
    minimum: int | None = None
    # A grid's second dimension (``Figure.columns``): its categories, their axis, and how the
    # page draws it ("heatmap" or "stack"); "bar" and no columns for a plain chart.
    columns: list[Column] = field(default_factory=list)
    column_axis: str = ""
    draw: str = "bar"


# The list's queryset for the actor and period with the extra filter params applied (the
# list's own ``Filters.from_query`` reads them), or None when the period has nothing to show
# (no cycle chosen).
Rows = Callable[[Actor, Period, Params], "QuerySet[Any] | None"]
# The list's URL and the params every bar's link carries (the cycle's code in the path, the
# year in the query).
Link = Callable[[Period], tuple[str, Params]]
# The categories in display order as (value, label); given the actor and the values that
# have rows (so a body chart names only the bodies that appear).
Categories = Callable[[Actor, Sequence[Any]], list[tuple[Any, str]]]


@dataclass(frozen=True)
class Reference:
    """A second number per category shown beside the count: a limit (a body's quota) or a
    baseline (last year's count). It is not a count of the list the bar links to, so it has no
    link of its own; the table, the Excel sheet, the JSON and the chart show it beside the bar.
    ``values`` gives it per category, or None when the period has none: a count, or an
    average (the month's rating score; a float)."""

    label: Any
    values: Callable[[Actor, Period], Mapping[Any, float] | None]
    # Where the reference is the count of the bar's own list read another way (last year's
    # register), the link that opens it with the bar's params; None: a limit, not a count.
    link: Link | None = None


@dataclass(frozen=True)
class Columns:
    """A figure's second dimension: each bar splits into one cell per column, the count of the
    list filtered on the bar's category (``Figure.param``) and the column's (``param``). One
    query per column, each a GROUP BY on the figure's ``group``: constant in the data. The
    columns must partition the rows (each row in exactly one column, as the months of a year
    do), so a bar's value, the sum of its cells, is the count of the list its label opens."""

    axis: Any
    param: str
    # The columns in display order as (value, label), given the period (the months of its year).
    categories: Callable[[Period], list[tuple[Any, str]]]
    draw: str = "heatmap"


@dataclass(frozen=True)
class Figure:
    key: str
    title: Any
    section: Any
    axis: Any
    rows: Rows
    link: Link
    # The list's filter parameter a bar sets to its category; a tuple sets several, one per
    # element of a category that is a tuple (level and stars).
    param: str | tuple[str, ...]
    categories: Categories
    # The field grouped on (one GROUP BY); empty: one count per category (``each``). A tuple
    # groups on several, in ``param``'s order.
    group: str | tuple[str, ...] = ""
    # Categories with no rows are left out (bodies, sectors); kept for towns and states.
    drop_empty: bool = False
    extra: Params = field(default_factory=dict)
    # False: the rows are not the rows of the list the bars link to, so no total is shown.
    has_total: bool = True
    reference: Reference | None = None
    # The programme's least per category for the period (``Chart.minimum``).
    minimum: Callable[[Period], int] | None = None
    # A second dimension (a grid); needs ``group``.
    columns: Columns | None = None

    def bar_params(self, value: Any) -> Params:
        """The list's filter parameters that show exactly one category's rows."""
        if isinstance(self.param, tuple):
            return dict(zip(self.param, value, strict=True))
        return {self.param: value}

    @staticmethod
    def bar_key(value: Any) -> str:
        return "-".join(map(str, value)) if isinstance(value, tuple) else str(value)

    def _grouped(self, qs: QuerySet[Any]) -> dict[Any, int]:
        fields = self.group if isinstance(self.group, tuple) else (self.group,)
        grouped = (
            qs.prefetch_related(None)
            .order_by()
            .values(*fields)
            .annotate(n=Count("*"))  # count(*): no per-row NULL test
            .values_list(*fields, "n")
        )
        if len(fields) > 1:
            return {tuple(row[:-1]): row[-1] for row in grouped}
        return dict(grouped)

    def grid(self, actor: Actor, period: Period) -> Grid | None:
        """Per column, the GROUP BY of the list filtered on that column."""
        assert self.columns is not None and self.group
        out: Grid = {}
        for value, _label in self.columns.categories(period):
            qs = self.rows(actor, period, {**self.extra, self.columns.param: value})
            if qs is None:
                return None
            out[value] = self._grouped(qs)
        return out

    def counts(self, actor: Actor, period: Period) -> dict[Any, int] | None:
        if self.group:
            qs = self.rows(actor, period, dict(self.extra))
            return None if qs is None else self._grouped(qs)
        counts: dict[Any, int] = {}
        for value, _label in self.categories(actor, ()):
            qs = self.rows(actor, period, {**self.extra, **self.bar_params(value)})
            if qs is None:
                return None
            counts[value] = qs.order_by().count()
        return counts

    def total(self, actor: Actor, period: Period, counts: dict[Any, int]) -> int | None:
        """The unfiltered list's count: a GROUP BY puts every row in exactly one group (None
        included), so its groups add up to it; categories counted one by one may overlap or
        miss rows, so the list is counted once more."""
        if not self.has_total:
            return None
        if self.group:
            return sum(counts.values())
        qs = self.rows(actor, period, dict(self.extra))
        return None if qs is None else qs.order_by().count()

    def chart(self, actor: Actor, period: Period) -> Chart | None:
        grid = self.grid(actor, period) if self.columns else None
        if self.columns is None:
            counts = self.counts(actor, period)
        else:
            counts = None if grid is None else _row_sums(grid)
        if counts is None:
            return None
        path, base = self.link(period)
        total = self.total(actor, period, counts)
        refs = (self.reference.values(actor, period) if self.reference else None) or {}
        present = [k for k in {**counts, **refs} if k is not None]
        ref_link = self.reference.link(period) if self.reference and self.reference.link else None
        columns = self.columns.categories(period) if self.columns else []
        bars = []
        for value, label in self.categories(actor, present):
            n = counts.get(value, 0)
            ref = refs.get(value)
            if self.drop_empty and not n and not ref:
                continue
            params = {**base, **self.extra, **self.bar_params(value)}
            cells = _cells(grid, self.columns, value, path, params) if grid is not None else ()
            ref_url = ""
            if ref_link is not None and ref is not None:
                ref_query = urlencode({**ref_link[1], **self.extra, **self.bar_params(value)})
                ref_url = f"{ref_link[0]}?{ref_query}"
            bars.append(
                Bar(
                    key=self.bar_key(value),
                    label=str(label),
                    value=n,
                    url=f"{path}?{urlencode(params)}",
                    reference=ref,
                    reference_url=ref_url,
                    cells=cells,
                )
            )
        return Chart(
            key=self.key,
            title=str(self.title),
            section=str(self.section),
            axis=str(self.axis),
            bars=bars,
            total=total,
            list_url=f"{path}?{urlencode({**base, **self.extra})}",
            reference_label=str(self.reference.label) if self.reference else "",
            minimum=self.minimum(period) if self.minimum else None,
            columns=[Column(key=str(v), label=str(label)) for v, label in columns],
            column_axis=str(self.columns.axis) if self.columns else "",
            draw=self.columns.draw if self.columns else "bar",
        )


def _cells(
    grid: Grid, columns: Columns | None, row: Any, path: str, params: Params
) -> tuple[Cell, ...]:
    """A row's cells, each linking to the list filtered on the row and the column."""
    assert columns is not None
    return tuple(
        Cell(
            key=str(column),
            value=counts.get(row, 0),
            url=f"{path}?{urlencode({**params, columns.param: column})}",
        )
        for column, counts in grid.items()
    )


def _row_sums(grid: Grid) -> dict[Any, int]:
    """A row's count over all columns: the columns partition the rows."""
    sums: dict[Any, int] = {}
    for counts in grid.values():
        for row, n in counts.items():
            sums[row] = sums.get(row, 0) + n
    return sums


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def charts(actor: Actor, period: Period, keys: Sequence[str] = ()) -> list[Chart]:
    """Every figure for the actor and period (or only ``keys``), in the catalogue's order."""
    from qnwmh.dashboards.catalogue import FIGURES

    wanted = set(keys)
    out = []
    for figure in FIGURES:
        if wanted and figure.key not in wanted:
            continue
        chart = figure.chart(actor, period)
        if chart is not None:
            out.append(chart)
    return out


def year_choices(today: datetime.date | None = None) -> list[int]:
    """The years a dashboard offers: this one and the five before."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - 6, -1))
