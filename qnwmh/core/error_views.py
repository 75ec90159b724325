"""Error pages in the site's own layout and the reader's language, each with a way back.

Django's stock pages are bare English; in development it shows a technical 404 that lists every
URL pattern to whoever mistypes a code. ``qnwmh.urls`` points the handlers here, and
``TechnicalPageFilter`` swaps the technical 404 for ours while DEBUG is on.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader
from django.utils.translation import gettext as _

from qnwmh.core.errors import NotFound

# Paths served in the back-office layout; everything else is the public site's.
BACK_OFFICE_PREFIXES = ("/office/", "/accounts/")


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    back_office = request.path.startswith(BACK_OFFICE_PREFIXES)
    context = {
        "layout": "base.html" if back_office else "public/base.html",
        "status": status,
        "title": title,
        "text": text,
        "back_url": "/office/" if back_office else "/",
    }
    return HttpResponse(
        loader.render_to_string("errors/page.html", context, request), status=status
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception.message) if isinstance(exception, NotFound) else ""
    return _page(
        request,
        404,
        _("没有找到"),
        message or _("您要找的页面不存在，可能是地址输错了，或者内容已经不再公开。"),
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 403, _("没有权限"), _("您的账号无权进行此项操作。如有疑问，请联系上级团组织。")
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("请求有误"), _("请求无法处理，请返回后重试。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("页面已过期"),
        _("表单已过期或浏览器未保存 Cookie。请返回上一页，刷新后再提交一次。"),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the layout's context processors may be what failed.
    return HttpResponse(loader.render_to_string("errors/500.html"), status=500)


class TechnicalPageFilter:
    """While DEBUG is on, Django answers a 404 with a technical page listing the URL patterns;
    visitors get our page instead. (With DEBUG off, ``handler404`` already answers.)"""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only Django's own debug answer is a bare HttpResponseNotFound; our pages are not.
        if type(response) is HttpResponseNotFound and b"DEBUG = True" in response.content:
            return not_found(request, getattr(request, "_not_found", None))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            request._not_found = exception  # type: ignore[attr-defined]
