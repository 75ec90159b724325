"""The creation figures: the open-week heatmap (managing bodies x the year's months) and the
required activities with and without evidence. Every cell equals the count of the log entries
list it opens (on random data, for the city and a body), the list filters on body, month,
kind and evidence, and the dashboard's queries stay the same as the log grows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qnwmh.creation.models import EntryKind, LogEntry
from qnwmh.dashboards.figures import Chart, charts
from qnwmh.dashboards.selectors import period_from_query
from tests import creation_helpers as ch
from tests import factories as f
from tests.querycount import count_queries
from tests.test_dashboards import assert_bars_match_their_lists, list_count

pytestmark = pytest.mark.django_db

HEATMAP, EVIDENCE = "open_weeks_by_body_month", "required_activities_by_evidence"


def log(
    collective: Any, cycle: Any, on: datetime.date, kind: str = "open_week", ev: int = 1
) -> LogEntry:
    """An entry written as the services keep it (its evidence count on the row), without the
    cost of uploading photos."""
    return LogEntry.objects.create(
        collective=collective,
        cycle=cycle,
        kind=kind,
        title="开放周",
        occurred_on=on,
        evidence_count=ev,
    )


def figures(world: Any, role: str, **query: Any) -> dict[str, Chart]:
    actor = world.actor(role)
    return {c.key: c for c in charts(actor, period_from_query(actor, query))}


def day(month: int, year: int | None = None) -> datetime.date:
    return datetime.date(year or timezone.localdate().year, month, 9)


def test_the_heatmap_counts_each_bodys_open_weeks_per_month(world: Any) -> None:
    cy = ch.cycle()
    log(world.collective, cy, day(3))
    log(world.collective, cy, day(3), ev=0)  # without evidence: still an open week held
    log(world.collective, cy, day(5))
    log(world.other_collective, cy, day(3))
    log(world.collective, cy, day(3), kind=EntryKind.JOB_DRILL)  # not an open week
    log(world.collective, cy, day(3, timezone.localdate().year - 1))  # another year
    city = figures(world, "city_admin")[HEATMAP]
    assert [c.key for c in city.columns][:3] == [f"{day(1).year}-0{m}" for m in (1, 2, 3)]
    assert len(city.columns) == 12 and city.draw == "heatmap"
    rows = {b.key: b for b in city.bars}
    mine, other = rows[str(world.body.pk)], rows[str(world.other_body.pk)]
    assert [c.value for c in mine.cells][2:5] == [2, 0, 1]
    assert mine.value == 3 and other.value == 1 and city.total == 4
    assert assert_bars_match_their_lists(world.client("city_admin"), [city]) == 2 * 13
    # A body sees its own row only, with the same numbers.
    body = figures(world, "body_admin")[HEATMAP]
    assert [(b.key, b.value) for b in body.bars] == [(str(world.body.pk), 3)]
    assert assert_bars_match_their_lists(world.client("body_admin"), [body]) == 13


def test_a_body_without_open_weeks_keeps_its_row_of_zeros(world: Any) -> None:
    chart = figures(world, "city_admin")[HEATMAP]
    assert {b.key: b.value for b in chart.bars} == {
        str(world.body.pk): 0,
        str(world.other_body.pk): 0,
    }


def test_the_evidence_figure_splits_the_cycles_required_activities(world: Any) -> None:
    cy = ch.cycle()
    log(world.collective, cy, day(2), kind=EntryKind.JOB_DRILL, ev=2)
    log(world.collective, cy, day(2), kind=EntryKind.JOB_DRILL, ev=0)
    log(world.other_collective, cy, day(4), kind=EntryKind.OPEN_WEEK, ev=0)
    log(world.collective, cy, day(4), kind=EntryKind.MEETING, ev=1)  # not a required kind
    chart = figures(world, "city_admin", cycle=cy.code)[EVIDENCE]
    assert chart.draw == "stack" and [c.key for c in chart.columns] == ["yes", "no"]
    cells = {b.key: [c.value for c in b.cells] for b in chart.bars}
    assert cells == {"open_week": [0, 1], "job_drill": [1, 1], "themed_training": [0, 0]}
    assert chart.total is None
    assert assert_bars_match_their_lists(world.client("city_admin"), [chart]) == 3 * 3
    body = figures(world, "body_admin", cycle=cy.code)[EVIDENCE]
    assert {b.key: b.value for b in body.bars} == {
        "open_week": 0,
        "job_drill": 2,
        "themed_training": 0,
    }


def test_the_entries_list_filters_by_labels_and_stays_in_scope(world: Any) -> None:
    cy = ch.cycle()
    log(world.collective, cy, day(3))
    log(world.other_collective, cy, day(3))
    url = reverse("creation:entries")
    year = day(3).year
    city = world.client("city_admin")
    html = city.get(f"{url}?month={year}-03&kind=open_week").content.decode()
    assert f'<option value="{year}-03" selected>{year} 年 3 月</option>' in html
    assert '<option value="open_week" selected>开放周</option>' in html
    assert "有佐证" in html and world.body.name in html
    assert list_count(city, f"{url}?month={year}-03&kind=open_week") == 2
    assert list_count(city, f"{url}?month={year}-04") == 0
    assert list_count(city, f"{url}?body={world.body.pk}&evidence=yes") == 1
    assert list_count(city, f"{url}?evidence=no") == 0
    assert list_count(city, f"{url}?cycle={cy.code}&year={year}") == 2
    assert list_count(world.client("body_admin"), url) == 1
    # Typed by anyone: a month that is not one is ignored, not an error.
    assert list_count(city, f"{url}?month=2026-13&year=99999") == 2


entry_spec = st.tuples(
    st.integers(0, 5),  # which collective
    st.integers(1, 12),  # month
    st.sampled_from([EntryKind.OPEN_WEEK, EntryKind.JOB_DRILL, EntryKind.THEMED_TRAINING]),
    st.integers(0, 2),  # evidence files
    st.booleans(),  # this year (else last year)
)


@settings(
    max_examples=3,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=st.lists(entry_spec, min_size=1, max_size=10))
def test_every_creation_cell_equals_its_lists_count_on_random_data(
    world: Any, entries: list[Any]
) -> None:
    with transaction.atomic():
        cy = ch.cycle()
        built = [world.collective, world.other_collective]
        built += [
            f.collective(world.body if i % 2 else world.other_body, members=0) for i in (0, 1)
        ]
        this_year = timezone.localdate().year
        for i, month, kind, ev, now in entries:
            log(
                built[i % len(built)], cy, day(month, this_year if now else this_year - 1), kind, ev
            )
        for role in ("city_admin", "body_admin"):
            found = figures(world, role, cycle=cy.code)
            grids = [found[HEATMAP], found[EVIDENCE]]
            assert assert_bars_match_their_lists(world.client(role), grids) > 10
        transaction.set_rollback(True)


def test_the_dashboards_queries_do_not_grow_with_the_log(world: Any) -> None:
    cy = ch.cycle()
    client = world.client("city_admin")
    url = reverse("dashboards:dashboard") + f"?cycle={cy.code}"

    def queries() -> int:
        return count_queries(lambda: client.get(url))

    log(world.collective, cy, day(1))
    small = queries()
    for month in range(2, 12):
        log(world.other_collective, cy, day(month), kind=EntryKind.JOB_DRILL, ev=0)
        log(f.collective(world.other_body, members=0), cy, day(month))
    client.get(url)  # new collectives moved the filter bar's kept options (collectives.facets)
    assert queries() == small


def test_the_page_draws_the_heatmap_from_a_table_of_links(world: Any) -> None:
    cy = ch.cycle()
    log(world.collective, cy, day(6))
    html = world.client("body_admin").get(reverse("dashboards:dashboard")).content.decode()
    assert f'data-chart="{HEATMAP}" data-draw="heatmap"' in html
    year = day(6).year
    cell = f"?year={year}&amp;kind=open_week&amp;body={world.body.pk}&amp;month={year}-06"
    assert f'<td data-cell="1"><a href="{reverse("creation:entries")}{cell}">1</a></td>' in html
    assert "echarts-5.6.0.min.js" in html and "<script>" not in html


def test_the_api_gives_the_grid_with_each_cells_list(world: Any) -> None:
    from tests.api.helpers import client_for

    cy = ch.cycle()
    log(world.collective, cy, day(7))
    answer = client_for(world, "body_admin").get("/dashboards/figures", chart=HEATMAP).json()
    (chart,) = answer["charts"]
    assert chart["draw"] == "heatmap" and len(chart["columns"]) == 12
    (row,) = chart["bars"]
    assert [c["value"] for c in row["cells"]][6] == 1 == row["value"]
    assert row["cells"][6]["url"].endswith(f"month={day(7).year}-07")


def test_the_report_draws_a_grid_as_a_shaded_table() -> None:
    from qnwmh.dashboards.figures import Bar, Cell, Column
    from qnwmh.dashboards.report import grid_shades

    cells = (Cell("2026-01", 4, "/a"), Cell("2026-02", 0, "/b"))
    chart = Chart(
        "k",
        "t",
        "s",
        "a",
        [Bar("1", "甲", 4, "/", cells=cells)],
        total=4,
        list_url="/",
        columns=[Column("2026-01", "1 月"), Column("2026-02", "2 月")],
        draw="heatmap",
    )
    assert grid_shades(chart) == [("甲", [(4, 0.6), (0, 0.0)], 4)]
    assert grid_shades(Chart("k", "t", "s", "a", [Bar("1", "甲", 4, "/")], 4, "/")) == []


def test_the_entries_lists_queries_do_not_grow(world: Any, settings: Any) -> None:
    settings.PAGE_SIZE = 1  # longer than a page at both sizes (tests.querycount)
    cy = ch.cycle()
    client = world.client("city_admin")
    url = reverse("creation:entries") + f"?cycle={cy.code}"

    def queries() -> int:
        return count_queries(lambda: client.get(url))

    log(world.collective, cy, day(1))
    log(world.collective, cy, day(2))
    client.get(url)  # the session's kept state settles on the first view
    small = queries()
    for month in range(2, 12):
        log(world.other_collective, cy, day(month), kind=EntryKind.JOB_DRILL, ev=0)
        log(f.collective(world.other_body, members=0), cy, day(month))
    client.get(url)  # new collectives moved the filter bar's kept options (collectives.facets)
    assert queries() == small
