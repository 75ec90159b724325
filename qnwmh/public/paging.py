"""Pages without a COUNT: the public directory shows "previous / next" only.

Counting every titled collective costs a scan of all of them on each request (hundreds of
milliseconds at 100,000 collectives); reading one row past the page tells whether there is a
next page for the price of the page itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from qnwmh.core.prepared import Bound
from qnwmh.core.querystring import as_int

# Deep offsets cost as much as a scan; nobody pages this far on a phone, they search.
MAX_PAGE = 200


@dataclass(frozen=True)
class Window:
    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self) -> Any:
        return iter(self.rows)


def page_number(request: HttpRequest) -> int:
    return as_int(request.GET.get("page"), high=MAX_PAGE) or 1


def window(request: HttpRequest, queryset: QuerySet[Any] | Bound[Any], per_page: int) -> Window:
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Window(rows=rows[:per_page], number=number, has_next=len(rows) > per_page)


def window_of_ids(request: HttpRequest, queryset: QuerySet[Any], per_page: int) -> Window:
    """``window``, reading the page's ids first and then only those rows. The filter and the
    order can then be answered from an index alone: the open-week calendar skips a month of
    weeks already over without reading one of their rows."""
    number = page_number(request)
    start = (number - 1) * per_page
    ids = list(queryset.values_list("pk", flat=True)[start : start + per_page + 1])
    rows = list(queryset.filter(pk__in=ids[:per_page])) if ids else []
    return Window(rows=rows, number=number, has_next=len(ids) > per_page)
