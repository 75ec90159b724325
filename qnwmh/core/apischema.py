"""The API's error shape, shared by every router mounted on API v1.

It lives in core so that routers written in earlier apps (cycles, supervision) can declare
their error responses without importing the api app, which comes after them."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema
from pydantic import AfterValidator, Field

from qnwmh.core.actor import Actor
from qnwmh.core.pagination import count_up_to
from qnwmh.core.prepared import Bound

# Opaque public codes (qnwmh.core.codes) in path parameters: anything else cannot match.
CodeStr = Annotated[str, Field(pattern=r"^[0-9A-Z]{1,12}$")]
# Database ids fit a 32-bit signed integer; larger numbers are refused by the schema instead
# of overflowing in the database.
MAX_ID = 2**31 - 1
IdInt = Annotated[int, Field(ge=1, le=MAX_ID)]


def _clean_text(value: str, *, multiline: bool) -> str:
    allowed = {"\n", "\r", "\t"} if multiline else set()
    for ch in value:
        if ch in allowed:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValueError(gettext("不能包含控制字符。"))
    return value


def _line(value: str) -> str:
    return _clean_text(value, multiline=False)


def _text(value: str) -> str:
    return _clean_text(value, multiline=True)


Line = Annotated[str, AfterValidator(_line)]
Text = Annotated[str, AfterValidator(_text)]


class Error(Schema):
    """Every 4xx answer: a message for people (Chinese by default) and, where one input is at
    fault, its name."""

    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


def errors(*codes: int) -> dict[int, Any]:
    """Response schemas for the error codes an operation can answer (401 always, with auth)."""
    return dict.fromkeys((401, 422, *codes), Error)


def file_response(content_type: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation answering a file: its 200 in the schema, as the
    file's own type (a PDF, a workbook, a zip), not JSON."""
    return {
        "responses": {
            200: {
                "description": "OK",
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def public_errors(*codes: int) -> dict[int, Any]:
    """The same for an operation that needs no token (no 401)."""
    return dict.fromkeys((422, *codes), Error)


# Paging, one shape for every list of every router ------------------------------------------

MAX_PAGE = 100_000

T = TypeVar("T")


class Counted(Schema):
    """A list's count, as the back-office lists count: exact up to ``LIST_COUNT_CAP`` rows;
    above it ``count`` is the cap and ``count_capped`` true ("more than count"), so a count
    never reads a million rows. Filter to count exactly."""

    count: int
    count_capped: bool


def counted(qs: QuerySet[Any] | Bound[Any]) -> dict[str, Any]:
    """``count`` and ``count_capped`` of ``Counted`` for a list's queryset (or prepared rows,
    ``core.prepared``)."""
    n = count_up_to(qs, settings.LIST_COUNT_CAP)
    return {"count": min(n, settings.LIST_COUNT_CAP), "count_capped": n > settings.LIST_COUNT_CAP}


class Page(Counted, Generic[T]):
    page: int
    page_size: int
    results: list[T]


def page_size_field() -> Any:
    return Field(default=settings.PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


class PageQuery(Schema):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = page_size_field()


def page_of(qs: QuerySet[Any] | Bound[Any], q: PageQuery) -> dict[str, Any]:
    """One capped COUNT and one page query (plus the queryset's prefetches), whatever the size."""
    start = (q.page - 1) * q.page_size
    return {
        **counted(qs),
        "page": q.page,
        "page_size": q.page_size,
        "results": list(qs[start : start + q.page_size]),
    }


def api_actor(request: HttpRequest) -> Actor:
    """The authenticated actor of a route that requires a token (the API's authentication,
    ``qnwmh.access.auth.BearerToken``, puts it on ``request.auth``)."""
    return request.auth  # type: ignore[attr-defined]
