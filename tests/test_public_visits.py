"""The public open-week calendar and visit bookings (issue 10, item 20)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.notices.models import Notice
from qnwmh.public.models import VisitBooking
from qnwmh.supervision.models import RateCounter
from tests import creation_helpers as ch

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


@pytest.fixture
def week(world: Any) -> Any:
    cy = ch.cycle()
    ch.register(world.collective, cy)
    return ch.entry(
        world,
        cy,
        on=TODAY + datetime.timedelta(days=2),
        ends_on=TODAY + datetime.timedelta(days=4),
        n_photos=0,
        title="窗口开放日",
    )


def _book_url(week: Any) -> str:
    return reverse("public:visit_book", args=[week.code])


def _form(week: Any, **over: Any) -> dict[str, Any]:
    return {
        "name": "陈小明",
        "phone": "13912345678",
        "visitors": 3,
        "visit_on": (week.occurred_on + datetime.timedelta(days=1)).isoformat(),
        "note": "带孩子参观",
        **over,
    }


def test_calendar_is_public_layout_linked_from_home_with_linked_names(world: Any, week: Any):
    client = world.client("anonymous")
    home = client.get(reverse("public:index")).content.decode()
    assert f'href="{reverse("open_weeks")}"' in home
    page = client.get(reverse("open_weeks")).content.decode()
    assert 'class="public"' in page  # the public site's layout, not the back office's
    assert f'href="{reverse("public:collective", args=[world.collective.code])}"' in page
    assert f'href="{_book_url(week)}"' in page


def test_collective_page_lists_its_coming_open_weeks(world: Any, week: Any):
    page = (
        world.client("anonymous")
        .get(reverse("public:collective", args=[world.collective.code]))
        .content.decode()
    )
    assert "窗口开放日" in page and f'href="{_book_url(week)}"' in page


def test_booking_is_stored_audited_and_notifies_the_collective_and_body(world: Any, week: Any):
    client = world.client("anonymous")
    page = client.get(_book_url(week)).content.decode()
    for day in range(3):
        assert (week.occurred_on + datetime.timedelta(days=day)).isoformat() in page
    response = client.post(_book_url(week), _form(week))
    assert response.status_code == 302
    booking = VisitBooking.objects.get()
    assert (booking.name, booking.phone, booking.visitors) == ("陈小明", "13912345678", 3)
    assert booking.entry == week and booking.collective == world.collective
    done = client.get(response["Location"]).content.decode()
    assert "预约已提交" in done and "窗口开放日" in done and "13912345678" not in done
    recipients = set(Notice.objects.values_list("recipient__username", flat=True))
    assert {"manager", "bodyadmin"} <= recipients and "outsider" not in recipients
    entry = AuditEntry.objects.get(code="public.visit.booked")
    assert "13912345678" not in str(entry.data) and "陈小明" not in str(entry.data)


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"visit_on": (TODAY + datetime.timedelta(days=10)).isoformat()}, "visit_on"),
        ({"visitors": 0}, "visitors"),
        ({"phone": "12ab"}, "phone"),
        ({"name": " "}, "name"),
    ],
)
def test_booking_guards(world: Any, week: Any, over: dict[str, Any], field: str):
    response = world.client("anonymous").post(_book_url(week), _form(week, **over))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not VisitBooking.objects.exists()


def test_no_booking_for_a_hidden_or_past_event(world: Any, week: Any):
    week.public = False
    week.save()
    assert world.client("anonymous").get(_book_url(week)).status_code == 404
    assert (
        world.client("anonymous").get(reverse("public:visit_book", args=["ZZZ"])).status_code == 404
    )


def test_bookings_are_rate_limited_per_address(world: Any, week: Any, settings: Any):
    from qnwmh.public import services

    client = world.client("anonymous")
    limit = services.LIMITS["visits_per_ip"][0]
    for _ in range(limit):
        assert client.post(_book_url(week), _form(week)).status_code == 302
    refused = client.post(_book_url(week), _form(week))
    assert refused.status_code == 429
    assert VisitBooking.objects.count() == limit
    assert RateCounter.objects.exists()


def test_bookings_visible_in_the_office_with_the_phone_masked(world: Any, week: Any):
    world.client("anonymous").post(_book_url(week), _form(week))
    url = reverse("visits:list")
    mine = world.client("manager").get(url).content.decode()
    assert "陈小明" in mine and "139****5678" in mine and "13912345678" not in mine
    body = world.client("body_admin").get(url).content.decode()
    assert "陈小明" in body and "13912345678" not in body
    assert "陈小明" not in world.client("outsider").get(url).content.decode()


def test_the_bookings_list_costs_the_same_queries_however_many_bookings(world: Any, week: Any):
    from tests.querycount import assert_constant_queries

    client = world.client("body_admin")

    def grow() -> None:
        for i in range(5):
            VisitBooking.objects.create(
                entry=week,
                collective=world.collective,
                name=f"访客{i}",
                phone="13912345678",
                visitors=2,
                visit_on=week.occurred_on,
            )

    assert_constant_queries(lambda: client.get(reverse("visits:list")), grow)
