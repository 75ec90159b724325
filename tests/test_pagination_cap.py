"""The lists' pager counts up to LIST_COUNT_CAP rows and says "more than" above it."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from qnwmh.collectives.models import Collective
from qnwmh.core.pagination import CappedPaginator
from tests import factories as f


def _more(world, n: int) -> None:
    for i in range(n):
        f.collective(world.body, members=0, name=f"计数服务队{i}")


@override_settings(PAGE_SIZE=2, LIST_COUNT_CAP=4)
def test_a_list_above_the_cap_says_more_than_the_cap_and_pages_up_to_it(world):
    _more(world, 6)
    html = world.client("city_admin").get(reverse("collectives:list")).content.decode()
    assert "第 1 / 2 页，超过 4 条" in html
    assert "共 " not in html.split('class="pager"')[1]
    last = world.client("city_admin").get(reverse("collectives:list") + "?page=9")
    assert "第 2 / 2 页，超过 4 条" in last.content.decode()


@override_settings(PAGE_SIZE=2, LIST_COUNT_CAP=100)
def test_a_list_below_the_cap_shows_its_exact_count(world):
    _more(world, 3)
    html = world.client("city_admin").get(reverse("collectives:list")).content.decode()
    total = Collective.objects.count()
    assert f"共 {total} 条" in html
    assert "超过" not in html


@override_settings(PAGE_SIZE=2, LIST_COUNT_CAP=4)
def test_the_count_stops_at_the_cap(world):
    _more(world, 6)
    paginator = CappedPaginator(Collective.objects.order_by("id"), 2, 4)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    exact = CappedPaginator(Collective.objects.order_by("id")[:3], 2, 4)
    assert (exact.count, exact.capped) == (3, False)


def test_a_list_that_fits_its_first_page_is_counted_by_reading_it(world, django_assert_num_queries):
    _more(world, 3)
    rows = Collective.objects.order_by("id")
    n = rows.count()
    with django_assert_num_queries(1):  # the page, no COUNT
        page = CappedPaginator(rows, n, 100).page(1)
        assert page.paginator.count == n and len(page) == n
        assert not page.has_next()
    with django_assert_num_queries(2):  # one row more than the page: the page, then a COUNT
        page = CappedPaginator(rows, n - 1, 100).page(1)
        assert page.paginator.count == n and len(page) == n - 1
        assert page.has_next()
    ids = list(rows.values_list("pk", flat=True))
    with django_assert_num_queries(2):  # a later page: Django's order, COUNT then the page
        page = CappedPaginator(rows, 2, 100).page(2)
        assert [c.pk for c in page] == ids[2:4]
