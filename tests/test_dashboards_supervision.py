"""The dashboard's supervision figures: complaints of the chosen year, acknowledged and
finished on time (by body and by category, beside all received), the public's ratings per
month with their average; every bar followed to its list, on random data too."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from qnwmh.dashboards.figures import Chart, charts
from qnwmh.dashboards.selectors import period_from_query
from qnwmh.supervision.models import Category, Status
from tests import supervision_builders as sb
from tests.test_dashboards import assert_bars_match_their_lists, list_count

pytestmark = pytest.mark.django_db

LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")
LAST_YEAR = timezone.localdate().year - 1  # always a year the dashboard offers
ON_TIME_KEYS = [
    "complaints_acknowledged_on_time_by_body",
    "complaints_finished_on_time_by_body",
    "complaints_acknowledged_on_time_by_category",
    "complaints_finished_on_time_by_category",
]


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(LAST_YEAR, month, day, hour, tzinfo=LOCAL)


def supervision_charts(actor: Any, year: int) -> dict[str, Chart]:
    found = charts(actor, period_from_query(actor, {"year": year}))
    return {c.key: c for c in found if c.section == "社会监督"}


def bars(chart: Chart) -> dict[str, tuple[int, Any]]:
    return {b.label: (b.value, b.reference) for b in chart.bars}


def test_complaint_figures_follow_the_dashboards_year(world: Any) -> None:
    sb.complaint(world.collective, received_at=at(12, 31, 23))  # last year, in local time
    sb.complaint(world.collective)
    sb.complaint(world.other_collective)
    actor = world.actor("city_admin")
    this_year = supervision_charts(actor, LAST_YEAR + 1)
    last_year = supervision_charts(actor, LAST_YEAR)
    assert this_year["complaints_by_body"].total == 2
    assert last_year["complaints_by_body"].total == 1
    assert f"year={LAST_YEAR}" in last_year["complaints_by_status"].list_url
    assert all(f"year={LAST_YEAR}" in b.url for c in last_year.values() for b in c.bars)
    client = world.client("city_admin")
    assert assert_bars_match_their_lists(client, [*this_year.values(), *last_year.values()]) > 20


def _timed(collective: Any, acknowledged: int | None, finished: int | None, **kw: Any) -> Any:
    """Received on 2 June, due acknowledged by the 5th and finished by the 30th; acknowledged
    and finished (replied) so many days after receipt, or never."""
    received = at(6, 2)
    done = Status.REPLIED if finished is not None else Status.INVESTIGATING
    return sb.complaint(
        collective,
        received_at=received,
        ack_due=received.date() + datetime.timedelta(days=3),
        finish_due=received.date() + datetime.timedelta(days=28),
        status=done if acknowledged is not None else Status.RECEIVED,
        acknowledged_at=None
        if acknowledged is None
        else received + datetime.timedelta(acknowledged),
        replied_at=None if finished is None else received + datetime.timedelta(finished),
        **kw,
    )


def test_on_time_figures_stand_beside_all_received(world: Any) -> None:
    _timed(world.collective, 1, 20)  # both on time
    _timed(world.collective, 5, 40, category=Category.EFFICIENCY)  # both late
    _timed(world.collective, None, None)  # never acknowledged: both late by now
    _timed(world.other_collective, 2, 30)  # acknowledged on time, finished late
    actor = world.actor("city_admin")
    found = supervision_charts(actor, LAST_YEAR)
    body, other = world.body.short_name or world.body.name, world.other_body.name
    other = world.other_body.short_name or other
    ack = found["complaints_acknowledged_on_time_by_body"]
    assert bars(ack) == {body: (1, 3), other: (1, 1)}
    assert ack.reference_label == "接收" and ack.total == 2
    assert bars(found["complaints_finished_on_time_by_body"]) == {body: (1, 3), other: (0, 1)}
    by_category = bars(found["complaints_finished_on_time_by_category"])
    assert by_category["服务态度"] == (1, 3) and by_category["办事效率"] == (0, 1)
    assert by_category["其他"] == (0, None)
    assert all("ack=on_time" in b.url for b in ack.bars)
    client = world.client("city_admin")
    assert assert_bars_match_their_lists(client, [found[k] for k in ON_TIME_KEYS]) == 2 + 2 + 6 + 6
    # The body's own: only its subtree, bars and references alike.
    mine = supervision_charts(world.actor("body_admin"), LAST_YEAR)
    assert bars(mine["complaints_acknowledged_on_time_by_body"]) == {body: (1, 3)}


def test_ratings_per_month_with_their_average(world: Any) -> None:
    for day, stars in ((1, 5), (15, 4), (31, 4)):
        sb.rating(world.collective, datetime.date(LAST_YEAR, 3, day), stars=stars)
    sb.rating(world.other_collective, datetime.date(LAST_YEAR, 4, 30), stars=1)
    sb.rating(world.other_collective, datetime.date(LAST_YEAR + 1, 4, 1), stars=5)
    actor = world.actor("city_admin")
    chart = supervision_charts(actor, LAST_YEAR)["ratings_by_month"]
    assert [b.key for b in chart.bars] == [str(m) for m in range(1, 13)]
    assert (chart.bars[2].value, chart.bars[2].reference) == (3, 4.3)
    assert (chart.bars[3].value, chart.bars[3].reference) == (1, 1.0)
    assert (chart.bars[4].value, chart.bars[4].reference) == (0, None)
    assert chart.total == 4 and chart.reference_label == "平均评分"
    client = world.client("city_admin")
    assert assert_bars_match_their_lists(client, [chart]) == 12
    listed = client.get(chart.bars[2].url)
    assert listed.context["stats"] == {"n": 3, "avg": chart.bars[2].reference}
    mine = supervision_charts(world.actor("body_admin"), LAST_YEAR)["ratings_by_month"]
    assert mine.total == 3 and mine.bars[3].value == 0


def test_the_table_and_the_api_show_the_average_beside_the_count(world: Any) -> None:
    from tests.api.helpers import client_for

    sb.rating(world.collective, datetime.date(LAST_YEAR, 3, 1), stars=5)
    sb.rating(world.collective, datetime.date(LAST_YEAR, 3, 2), stars=4)
    html = (
        world.client("city_admin")
        .get(reverse("dashboards:dashboard"), {"year": LAST_YEAR})
        .content.decode()
    )
    assert 'data-chart="ratings_by_month"' in html and 'data-reference="4.5"' in html
    answer = client_for(world, "city_admin").get(
        "/dashboards/figures", year=LAST_YEAR, chart="ratings_by_month"
    )
    (chart,) = answer.json()["charts"]
    assert chart["bars"][2]["value"] == 2 and chart["bars"][2]["reference"] == 4.5


def test_the_dashboards_queries_do_not_grow_with_ratings_and_complaints(world: Any) -> None:
    client = world.client("city_admin")
    url = reverse("dashboards:dashboard") + f"?year={LAST_YEAR}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    sb.rating(world.collective, datetime.date(LAST_YEAR, 1, 1))
    _timed(world.collective, 1, 2)
    small = queries()
    for i in range(6):
        sb.rating(world.other_collective, datetime.date(LAST_YEAR, 1 + i, 2))
        _timed(world.other_collective if i % 2 else world.collective, i, 10 * i)
    assert queries() == small


complaint_spec = st.tuples(
    st.booleans(),  # the world's collective, else the other body's
    st.sampled_from(Category.values),
    st.integers(1, 12),  # month received
    st.one_of(st.none(), st.integers(0, 8)),  # days to acknowledgement (due after 3)
    st.one_of(st.none(), st.integers(0, 40)),  # days to the reply (due after 20)
    st.sampled_from([Status.REPLIED, Status.CLOSED, Status.DUPLICATE]),
)
rating_spec = st.tuples(st.booleans(), st.integers(1, 12), st.integers(1, 5))


@settings(
    max_examples=4,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    complaints=st.lists(complaint_spec, max_size=10),
    ratings=st.lists(rating_spec, max_size=10),
)
def test_every_supervision_bar_equals_its_lists_count_on_random_data(
    world: Any, complaints: list[Any], ratings: list[Any]
) -> None:
    with transaction.atomic():
        for own, category, month, acked, finished, done in complaints:
            received = at(month, 3)
            ack_at = None if acked is None else received + datetime.timedelta(days=acked)
            reply_at = None if finished is None else received + datetime.timedelta(days=finished)
            status = (
                Status.RECEIVED
                if ack_at is None
                else (Status.INVESTIGATING if reply_at is None else done)
            )
            sb.complaint(
                world.collective if own else world.other_collective,
                category=category,
                received_at=received,
                ack_due=received.date() + datetime.timedelta(days=3),
                finish_due=received.date() + datetime.timedelta(days=20),
                status=status,
                acknowledged_at=ack_at,
                replied_at=reply_at if done != Status.DUPLICATE else None,
                closed_at=reply_at if done != Status.REPLIED else None,
            )
        for own, month, stars in ratings:
            sb.rating(
                world.collective if own else world.other_collective,
                datetime.date(LAST_YEAR, month, 1 + stars),
                stars=stars,
            )
        for role in ("city_admin", "body_admin"):
            found = supervision_charts(world.actor(role), LAST_YEAR)
            assert set(ON_TIME_KEYS) | {"ratings_by_month"} <= set(found)
            assert assert_bars_match_their_lists(world.client(role), list(found.values())) >= 12
            for key in ON_TIME_KEYS:  # never more on time than received
                assert all(b.value <= (b.reference or 0) for b in found[key].bars), key
            month_bars = found["ratings_by_month"].bars
            assert sum(b.value for b in month_bars) == list_count(
                world.client(role), reverse("supervision:ratings") + f"?year={LAST_YEAR}"
            )
        transaction.set_rollback(True)
