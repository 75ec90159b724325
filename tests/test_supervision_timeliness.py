"""Complaints by year and on time: the list's ``year``, ``ack`` and ``finish`` filters (one
definition of "on time", against the complaint's own working-day deadlines, read by the list,
its API, its Excel file, its figures page and the complaint's page); and the office list of
the public's ratings with its count and average."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.supervision import services
from qnwmh.supervision.models import Complaint, Status
from tests import supervision_builders as sb

pytestmark = pytest.mark.django_db

LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LOCAL)


def listed(client: Client, **params: Any) -> set[str]:
    response = client.get(reverse("supervision:list"), params)
    assert response.status_code == 200
    return {c.code for c in response.context["page"].object_list}


def old(world: Any, **kwargs: Any) -> Complaint:
    """A complaint received on Monday 2 June 2025, due acknowledged by the 5th and finished
    by the 30th; ``kwargs`` say how far it went and when."""
    return sb.complaint(
        world.collective,
        received_at=at("2025-06-02"),
        ack_due=datetime.date(2025, 6, 5),
        finish_due=datetime.date(2025, 6, 30),
        **kwargs,
    )


@pytest.fixture
def cases(world: Any) -> dict[str, str]:
    made = {
        # Acknowledged late in the evening of the due day (the 5th in local time, still the
        # 5th in UTC); still open past the finishing deadline.
        "ack_on_time": old(
            world, status=Status.ACKNOWLEDGED, acknowledged_at=at("2025-06-05", 23, 30)
        ),
        # Acknowledged just after midnight on the 6th, local time: the 5th in UTC, and late.
        "ack_late": old(
            world, status=Status.INVESTIGATING, acknowledged_at=at("2025-06-06", 0, 30)
        ),
        "never_acknowledged": old(world, status=Status.RECEIVED),
        # Closed as a duplicate straight from "received": that answer is its acknowledgement.
        "duplicate": old(world, status=Status.DUPLICATE, closed_at=at("2025-06-03")),
        "replied_on_time": old(
            world,
            status=Status.REPLIED,
            acknowledged_at=at("2025-06-03"),
            replied_at=at("2025-06-30", 22),
        ),
        # The reply stops the clock, not the later closing; this reply came late.
        "closed_late": old(
            world,
            status=Status.CLOSED,
            acknowledged_at=at("2025-06-03"),
            replied_at=at("2025-07-01", 9),
            closed_at=at("2025-07-05"),
        ),
        # Received today: nothing is due yet, so it is neither on time nor late.
        "fresh": sb.complaint(world.collective),
    }
    return {name: c.code for name, c in made.items()}


def named(cases: dict[str, str], *names: str) -> set[str]:
    return {cases[n] for n in names}


def test_on_time_is_the_step_done_by_its_due_day_in_local_time(
    world: Any, cases: dict[str, str]
) -> None:
    client = world.client("city_admin")
    assert listed(client, ack="on_time") == named(
        cases, "ack_on_time", "duplicate", "replied_on_time", "closed_late"
    )
    assert listed(client, ack="late") == named(cases, "ack_late", "never_acknowledged")
    assert listed(client, finish="on_time") == named(cases, "duplicate", "replied_on_time")
    # Late: finished after the deadline, or still open past it.
    assert listed(client, finish="late") == named(
        cases, "ack_on_time", "ack_late", "never_acknowledged", "closed_late"
    )
    assert listed(client, ack="on_time", finish="on_time", category="attitude") == named(
        cases, "duplicate", "replied_on_time"
    )
    assert len(listed(client, ack="nonsense")) == len(cases)  # an unknown value is no filter


def test_the_year_is_the_local_year_of_receipt(world: Any, cases: dict[str, str]) -> None:
    # 23:30 on New Year's Eve in local time is 15:30 UTC: still the old year.
    eve = sb.complaint(world.collective, received_at=at("2024-12-31", 23, 30))
    new_year = sb.complaint(world.collective, received_at=at("2025-01-01", 0, 30))
    client = world.client("city_admin")
    this_year = timezone.localdate().year
    assert listed(client, year=2024) == {eve.code}
    assert listed(client, year=2025) == {new_year.code} | (set(cases.values()) - {cases["fresh"]})
    assert listed(client, year=this_year) == {cases["fresh"]}
    assert listed(client, year=2025, finish="on_time") == named(
        cases, "duplicate", "replied_on_time"
    )
    page = client.get(reverse("supervision:list"), {"year": 2024}).content.decode()
    assert '<option value="2024" selected>' in page and "受理时效" in page and "按期办结" in page


def test_the_deadline_counts_working_days_from_the_holiday_calendar(world: Any) -> None:
    """Received on a Friday before a Monday holiday, with three working days to acknowledge:
    due on Thursday, six calendar days later. The list's "on time" reads that deadline."""
    today = timezone.localdate()
    friday = today - datetime.timedelta(days=21 + (today.weekday() - 4) % 7)
    monday = friday + datetime.timedelta(days=3)
    sb.holiday(monday)
    city = world.actor("city_admin")
    entered = [
        services.complaint_enter(
            city,
            collective=world.collective,
            kind="complaint",
            category="attitude",
            text="电话反映窗口排队太久。",
            channel="phone",
            received_at=datetime.datetime.combine(friday, datetime.time(15), LOCAL),
        )
        for _ in range(2)
    ]
    thursday = friday + datetime.timedelta(days=6)
    assert {c.ack_due for c in entered} == {thursday}
    for c, day in zip(entered, (thursday, thursday + datetime.timedelta(days=1)), strict=True):
        services.complaint_acknowledge(city, complaint=c)
        Complaint.objects.filter(pk=c.pk).update(
            acknowledged_at=datetime.datetime.combine(day, datetime.time(17), LOCAL)
        )
    client = world.client("city_admin")
    assert listed(client, ack="on_time") == {entered[0].code}
    assert listed(client, ack="late") == {entered[1].code}


def test_the_complaints_page_export_and_figures_say_the_same(
    world: Any, cases: dict[str, str]
) -> None:
    client = world.client("city_admin")
    page = client.get(reverse("supervision:detail", args=[cases["replied_on_time"]]))
    html = page.content.decode()
    assert 'data-testid="ack-timeliness">按期受理' in html
    assert 'data-testid="finish-timeliness">按期办结' in html
    fresh = client.get(reverse("supervision:detail", args=[cases["fresh"]])).content.decode()
    assert "timeliness" not in fresh

    response = client.get(reverse("supervision:export"), {"year": 2025})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    header, *rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    ack, finish = header.index("受理时效"), header.index("办结时效")
    by_code = {r[0]: (r[ack], r[finish]) for r in rows}
    assert len(by_code) == len(cases) - 1  # the year's: not today's
    assert by_code[cases["closed_late"]] == ("按期受理", "未按期办结")
    assert by_code[cases["never_acknowledged"]] == ("未按期受理", "未按期办结")

    figures = client.get(reverse("supervision:figures"), {"year": 2025, "group": "category"})
    (table,) = [rows for label, rows in figures.context["tables"] if rows and label == "按类别"]
    (row,) = table
    assert (row["total"], row["ack_on_time"], row["finish_on_time"]) == (6, 4, 2)


def test_the_staff_api_lists_with_the_same_filters(world: Any, cases: dict[str, str]) -> None:
    from tests.api.helpers import client_for

    api = client_for(world, "city_admin")
    answer = api.get("/supervision/staff/requests", year=2025, finish="late", ack="on_time")
    assert answer.status_code == 200
    assert {r["service_request_id"] for r in answer.json()} == named(
        cases, "ack_on_time", "closed_late"
    )
    assert api.get("/supervision/staff/requests", ack="soon").status_code in (400, 422)


# Ratings ----------------------------------------------------------------------------------


def ratings_listed(client: Client, **params: Any) -> tuple[int, Any]:
    response = client.get(reverse("supervision:ratings"), params)
    assert response.status_code == 200
    return response.context["page"].paginator.count, response.context["stats"]


def test_the_ratings_list_counts_and_averages_what_it_shows(world: Any) -> None:
    sb.rating(world.collective, datetime.date(2025, 3, 1), stars=5, comment="服务很好")
    sb.rating(world.collective, datetime.date(2025, 3, 31), stars=4)
    sb.rating(world.collective, datetime.date(2025, 3, 31), stars=4)
    sb.rating(world.collective, datetime.date(2025, 4, 1), stars=1)
    sb.rating(world.other_collective, datetime.date(2025, 3, 2), stars=2)
    city = world.client("city_admin")
    count, stats = ratings_listed(city, year=2025, month=3)
    assert (count, stats) == (4, {"n": 4, "avg": 3.8})  # (5 + 4 + 4 + 2) / 4 = 3.75
    assert ratings_listed(city, year=2025, month=3, stars=4)[0] == 2
    assert ratings_listed(city, year=2024)[1] == {"n": 0, "avg": None}
    html = city.get(reverse("supervision:ratings"), {"year": 2025, "month": 3}).content.decode()
    assert "共 4 次评价，平均 3.8 分" in html and "服务很好" in html
    # A body admin reads its own subtree's ratings, the outsider its own; nobody else any.
    assert ratings_listed(world.client("body_admin"), year=2025)[1] == {"n": 4, "avg": 3.5}
    assert ratings_listed(world.client("outsider"), year=2025)[0] == 1
    for role in ("manager", "reviewer"):
        assert world.client(role).get(reverse("supervision:ratings")).status_code == 403


def test_a_hidden_comment_stays_hidden_on_the_list(world: Any) -> None:
    r = sb.rating(world.collective, timezone.localdate(), comment="含辱骂的评价")
    r.comment_hidden = True
    r.save()
    html = world.client("city_admin").get(reverse("supervision:ratings")).content.decode()
    assert "含辱骂的评价" not in html and "（已屏蔽）" in html


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_queries_do_not_grow(world: Any, settings: Any) -> None:
    settings.PAGE_SIZE = 1  # longer than a page at both sizes (tests.querycount)
    client = world.client("body_admin")
    ratings = reverse("supervision:ratings") + "?year=2025"
    complaints = reverse("supervision:list") + "?year=2025&ack=on_time&finish=late"
    for day in (1, 2):
        sb.rating(world.collective, datetime.date(2025, 5, day))
        old(world, status=Status.ACKNOWLEDGED, acknowledged_at=at("2025-06-03"))
    for url in (ratings, complaints):
        _queries(client, url)  # the first views keep the filter bars' options
    small = (_queries(client, ratings), _queries(client, complaints))
    for i in range(6):
        sb.rating(world.collective, datetime.date(2025, 5, 3 + i))
        old(world, status=Status.ACKNOWLEDGED, acknowledged_at=at("2025-06-03"))
    assert (_queries(client, ratings), _queries(client, complaints)) == small
