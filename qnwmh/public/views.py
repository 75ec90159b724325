"""The anonymous public site (directory, collective page, QR, verify) and the back-office
notice-board downloads. Public views read only through ``qnwmh.public.selectors``."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from qnwmh.accounts.permissions import require
from qnwmh.collectives.models import Level
from qnwmh.core.labels import choice_label
from qnwmh.core.pagination import querystring_without_page
from qnwmh.orgs.models import Sector, Town
from qnwmh.programme.models import ProgrammeRules
from qnwmh.public import boards
from qnwmh.public.forms import BoardsForm
from qnwmh.public.paging import window
from qnwmh.public.qr import public_url, qr_png, qr_svg
from qnwmh.public.selectors import (
    STAR_CHOICES,
    DirectoryFilters,
    best_title,
    directory,
    is_code_shaped,
    normalise_code,
    public_collective,
    verify,
)

# Phones on a mobile connection: a short page loads fast and a long list is paged anyway.
PUBLIC_PAGE_SIZE = 15
PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def _city_phone() -> str:
    return ProgrammeRules.current().supervision_phone


def _shown_title(titles: list[Any], filters: DirectoryFilters) -> Any:
    """The title a directory row shows: the one the filters asked for, else the highest."""
    matching = [
        t
        for t in titles
        if (not filters.level or t.level == filters.level)
        and (not filters.stars or t.stars == filters.stars)
    ]
    return best_title(matching or titles)


@require_safe
def directory_view(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_query(request.GET)
    page = window(request, directory(filters), per_page=PUBLIC_PAGE_SIZE)
    rows = []
    for c in page:
        title = _shown_title(c.active_titles, filters)
        rows.append(
            {"c": c, "title": title, "level": choice_label(title, "level") if title else ""}
        )
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "qs": querystring_without_page(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "public/_results.html", context)
    context.update(
        {
            "towns": Town.objects.filter(active=True).only("id", "name"),
            "sectors": Sector.objects.filter(active=True).only("id", "name"),
            "levels": Level.choices,
            "star_choices": STAR_CHOICES,
            "city_phone": _city_phone(),
        }
    )
    return render(request, "public/directory.html", context)


@require_safe
def collective_view(request: HttpRequest, code: str) -> HttpResponse:
    c = public_collective(code)
    history = c.history  # type: ignore[attr-defined]
    active = [t for t in history if t.status == "active"]
    return render(
        request,
        "public/collective.html",
        {
            "c": c,
            "history": history,
            "title": best_title(active),
            "page_url": public_url(c, request),
            "city_phone": _city_phone(),
        },
    )


@require_safe
@cache_control(public=True, max_age=3600)
def photo_view(request: HttpRequest, code: str) -> FileResponse:
    """Photos are not served from MEDIA_URL (evidence files are private); a public
    collective's own photo is public, so it is served here."""
    c = public_collective(code)
    if not c.photo:
        raise Http404
    try:
        handle = c.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(c.photo.name or "")[0] or ""
    # Raster images only: an uploaded SVG could carry script and would run on our origin.
    if content_type not in PHOTO_TYPES:
        raise Http404
    return FileResponse(handle, content_type=content_type)


@require_safe
@cache_control(public=True, max_age=86400)
def qr_svg_view(request: HttpRequest, code: str) -> HttpResponse:
    c = public_collective(code)
    return HttpResponse(qr_svg(public_url(c, request)), content_type="image/svg+xml")


@require_safe
@cache_control(public=True, max_age=86400)
def qr_png_view(request: HttpRequest, code: str) -> HttpResponse:
    c = public_collective(code)
    return HttpResponse(qr_png(public_url(c, request)), content_type="image/png")


@require_safe
def verify_view(request: HttpRequest) -> HttpResponse:
    """The form: a code typed from a plaque goes to /verify/<code>/."""
    raw = (request.GET.get("code") or "").strip()
    error = ""
    if raw:
        code = normalise_code(raw)
        if is_code_shaped(code):
            return redirect("public:verify_code", code=code)
        error = _("编号格式不正确：编号由数字和大写字母组成，请核对公示牌上的编号。")
    return render(
        request,
        "public/verify.html",
        {"raw": raw[:40], "error": error, "city_phone": _city_phone()},
    )


@require_safe
def verify_code_view(request: HttpRequest, code: str) -> HttpResponse:
    result = verify(code)
    status = 404 if result.verdict == "unknown" else 200
    return render(
        request,
        "public/verify.html",
        {
            "result": result,
            "raw": code[:40],
            "city_phone": _city_phone(),
        },
        status=status,
    )


# Back office: notice boards ------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def board_view(request: HttpRequest, code: str) -> HttpResponse:
    actor: Any = request.actor  # type: ignore[attr-defined]
    collective = boards.board_collective(actor, code)
    require(actor, "public.print_board", collective)
    data = boards.render_boards([collective], lambda c: public_url(c, request))
    return _pdf(data, f"board-{collective.code}.pdf")


@login_required
def boards_view(request: HttpRequest) -> HttpResponse:
    actor: Any = request.actor  # type: ignore[attr-defined]
    require(actor, "public.print_boards_in_bulk")
    submitted = "download" in request.GET
    form = BoardsForm(actor, request.GET if submitted else None)
    count = None
    if submitted and form.is_valid():
        qs = boards.board_collectives(
            actor, body=form.cleaned_data["body"], titled_only=form.cleaned_data["titled_only"]
        )
        count = qs.count()
        if count == 0:
            form.add_error(None, _("没有符合条件的集体。"))
        elif count > boards.MAX_BOARDS_PER_PDF:
            form.add_error(
                None,
                _("共 %(n)d 个集体，超过单个文件上限 %(max)d 个，请按组织管理机构分批下载。")
                % {"n": count, "max": boards.MAX_BOARDS_PER_PDF},
            )
        else:
            data = boards.render_boards(qs, lambda c: public_url(c, request))
            return _pdf(data, "boards.pdf")
    return render(request, "public/boards.html", {"form": form})
