"""Pagination that costs one COUNT and one page query, whatever the table size, and only the
page query when the list fits on its first page.

The COUNT stops at ``LIST_COUNT_CAP`` rows: counting a city's million collectives exactly
costs tens of milliseconds on every page view, while nobody pages past the ten-thousandth row
of a list (they filter or search). Above the cap the pager says "more than N" and offers the
pages up to the cap, so the figure shown is always true."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from qnwmh.core.prepared import Bound
from qnwmh.core.querystring import as_int


def count_up_to(rows: QuerySet[Any] | Bound[Any], cap: int) -> int:
    """How many rows there are, counting at most ``cap + 1`` (more than ``cap``: "more than
    cap"): ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which an index walk answers."""
    if isinstance(rows, Bound):
        return rows.count_up_to(cap)
    if not rows.query.is_sliced:
        # How many rows there are does not depend on their order: without it the count drops
        # the sort and the joins that only the sort needed.
        rows = rows.order_by()
    return rows[: cap + 1].count()


class CappedPaginator(Paginator):
    """Django's paginator, counting at most ``cap`` rows (``capped`` says whether there are
    more): ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``, which an index walk answers."""

    def __init__(self, object_list: Any, per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return count_up_to(rows, self.cap)
        if isinstance(rows, Bound):
            return rows.count_up_to(self.cap)
        return len(rows[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap

    def page(self, number: Any) -> Page:
        """The page; the first one is read before the count, and a list that fits on it is
        counted by reading it (one round trip fewer for most lists a body or collective sees)."""
        if str(number) != "1" or not isinstance(self.object_list, QuerySet | Bound):
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["_counted"] = len(rows)
        return Page(rows[: self.per_page], 1, self)


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Bound[Any], per_page: int | None = None
) -> Page:
    """A page of ``queryset`` (or of a prepared query's rows, ``core.prepared``)."""
    paginator = CappedPaginator(queryset, per_page or settings.PAGE_SIZE, settings.LIST_COUNT_CAP)
    try:
        return paginator.page(as_int(request.GET.get("page")) or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def first_page(request: HttpRequest) -> bool:
    """Whether the request asks for the first page (no page number, or one that is not a
    number): a list may then read its rows in one statement (``paginate`` reads it first)."""
    return (as_int(request.GET.get("page")) or 1) == 1


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
