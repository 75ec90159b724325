"""The anonymous public site (directory, collective page, QR, verify) and the back-office
notice-board downloads. Public views read only through ``qnwmh.public.selectors``."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from qnwmh.awards.certificate_numbers import looks_like_number as looks_like_certificate
from qnwmh.awards.selectors.certificates import CertificateVerdict, verify_certificate
from qnwmh.collectives.models import Collective, Level
from qnwmh.collectives.selectors import collectives_visible_to, with_active_titles
from qnwmh.core.actor import ANONYMOUS, Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.forms import add_domain_error
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.labels import choice_label
from qnwmh.core.masking import mask_name, mask_phone
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.panels import PUBLIC_COLLECTIVE, panels
from qnwmh.core.prepared import prepared
from qnwmh.core.querystring import Query
from qnwmh.creation.selectors import public_open_weeks
from qnwmh.orgs.models import Sector, Town
from qnwmh.oversight.selectors.public import attach_public_standings
from qnwmh.programme.models import ProgrammeRules
from qnwmh.public import boards, services
from qnwmh.public.forms import BoardsForm, VisitForm
from qnwmh.public.models import VisitBooking
from qnwmh.public.paging import window, window_of_ids
from qnwmh.public.qr import public_url, qr_png, qr_svg
from qnwmh.public.selectors import (
    STAR_CHOICES,
    DirectoryFilters,
    best_title,
    creating_ids,
    directory_rows,
    is_code_shaped,
    normalise_code,
    public_collective,
    verify,
)

# Phones on a mobile connection: a short page loads fast and a long list is paged anyway.
PUBLIC_PAGE_SIZE = 15
# What a card of the open-week calendar shows: a log entry's row is wide.
OPEN_WEEK_CARD = (
    "code",
    "occurred_on",
    "ends_on",
    "title",
    "place",
    "description",
    "collective__code",
    "collective__name",
    "collective__town__name",
)
PHOTO_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


@prepared
def _city_phones() -> QuerySet[Any]:
    # The one column, not the rules' forty: this runs on every public page.
    return ProgrammeRules.objects.order_by("pk").values_list("supervision_phone", flat=True)


@prepared
def _active_towns_or_sectors(sectors: bool) -> QuerySet[Any]:
    """The towns (or sectors) a public filter offers."""
    return (Sector if sectors else Town).objects.filter(active=True).only("id", "name")


def _city_phone() -> str:
    found = _city_phones.first()
    return ProgrammeRules.current().supervision_phone if found is None else found


def _shown_title(titles: list[Any], filters: DirectoryFilters) -> Any:
    """The title a directory row shows: the one the filters asked for, else the highest."""
    matching = [
        t
        for t in titles
        if (not filters.level or t.level == filters.level)
        and (not filters.stars or t.stars == filters.stars)
    ]
    return best_title(matching or titles)


@guarded(public=True)
@require_safe
def directory_view(request: ActorRequest) -> HttpResponse:
    filters = DirectoryFilters.from_query(request.GET)
    page = window(request, directory_rows(filters), per_page=PUBLIC_PAGE_SIZE)
    with_active_titles(page.rows)
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
    if request.htmx:
        return render(request, "public/_results.html", context)
    context.update(
        {
            "towns": _active_towns_or_sectors.rows(False),
            "sectors": _active_towns_or_sectors.rows(True),
            "levels": Level.choices,
            "star_choices": STAR_CHOICES,
            "city_phone": _city_phone(),
        }
    )
    return render(request, "public/directory.html", context)


@guarded(public=True)
@require_safe
def collective_view(request: ActorRequest, code: str) -> HttpResponse:
    c = public_collective(code, page=True)
    history = c.history  # type: ignore[attr-defined]
    attach_public_standings(history)
    active = [t for t in history if t.status == "active"]
    return render(
        request,
        "public/collective.html",
        {
            "c": c,
            "history": history,
            "title": best_title(active),
            "creating": not active and bool(creating_ids([c.pk])),
            "open_weeks": list(public_open_weeks(collective_id=c.pk)[:10]) if active else [],
            "page_url": public_url(c, request),
            "city_phone": _city_phone(),
            "panels": panels(PUBLIC_COLLECTIVE, c),
        },
    )


@guarded(public=True)
@require_safe
@cache_control(public=True, max_age=3600)
def photo_view(request: ActorRequest, code: str) -> FileResponse:
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


@guarded(public=True)
@require_safe
@cache_control(public=True, max_age=86400)
def qr_svg_view(request: ActorRequest, code: str) -> HttpResponse:
    c = public_collective(code)
    return HttpResponse(qr_svg(public_url(c, request)), content_type="image/svg+xml")


@guarded(public=True)
@require_safe
@cache_control(public=True, max_age=86400)
def qr_png_view(request: ActorRequest, code: str) -> HttpResponse:
    c = public_collective(code)
    return HttpResponse(qr_png(public_url(c, request)), content_type="image/png")


@guarded(public=True)
@require_safe
def verify_view(request: ActorRequest) -> HttpResponse:
    """The form: a code typed from a plaque goes to /verify/<code>/."""
    raw = (request.GET.get("code") or "").strip()
    error = ""
    if raw:
        code = normalise_code(raw)
        if is_code_shaped(code) or looks_like_certificate(code):
            return redirect("public:verify_code", code=code)
        error = _("编号格式不正确：编号由数字和大写字母组成，请核对公示牌上的编号。")
    return render(
        request,
        "public/verify.html",
        {"raw": raw[:40], "error": error, "city_phone": _city_phone()},
    )


@guarded(public=True)
@require_safe
def verify_code_view(request: ActorRequest, code: str) -> HttpResponse:
    """A collective's code (from its notice board) or a certificate number (from the
    certificate's QR code or typed from paper): each answers what it is."""
    if looks_like_certificate(normalise_code(code)):
        check = verify_certificate(code)
        if check.certificate is not None:
            attach_public_standings([check.certificate.title])
        return render(
            request,
            "public/verify.html",
            {"cert": check, "raw": code[:40], "city_phone": _city_phone()},
            status=404 if check.verdict == CertificateVerdict.UNKNOWN else 200,
        )
    result = verify(code)
    attach_public_standings(result.titles)
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


@guarded("public.print_board", load=boards.board_collective)
def board_view(request: ActorRequest, collective: Collective) -> HttpResponse:
    data = boards.render_boards([collective], lambda c: public_url(c, request))
    return _pdf(data, f"board-{collective.code}.pdf")


@guarded("public.print_boards_in_bulk")
def boards_view(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
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
            return boards.boards_response(actor, qs, request, count=count)
    return render(request, "public/boards.html", {"form": form})


# Open weeks and visit bookings ---------------------------------------------------------


def _public_actor(request: ActorRequest) -> Actor:
    """A booking is made as an anonymous visitor from the client's address."""
    return Actor(user=None, ip=request.actor.ip or ANONYMOUS.ip)


@guarded(public=True)
@require_safe
def open_weeks_view(request: ActorRequest) -> HttpResponse:
    """The public calendar of coming open weeks of titled collectives (no login)."""
    query = Query(request.GET)
    town_id = query.number("town")
    since = query.date("from")
    # Previous / next only, as the directory: a count would read every week to come.
    weeks = public_open_weeks(town_id=town_id, since=since).only(*OPEN_WEEK_CARD)
    page = window_of_ids(request, weeks, per_page=PUBLIC_PAGE_SIZE)
    return render(
        request,
        "public/open_weeks.html",
        {
            "page": page,
            "towns": _active_towns_or_sectors.rows(False),
            "town_id": town_id,
            "since": since,
            "qs": querystring_without_page(request),
            "city_phone": _city_phone(),
        },
    )


def _open_week(code: str) -> Any:
    if not is_code_shaped(code):
        raise Http404
    entry = public_open_weeks().filter(code=code).first()
    if entry is None:
        raise Http404
    return entry


@guarded(public=True)
def visit_book_view(request: ActorRequest, entry: str) -> HttpResponse:
    """Book a visit to one day of an open week: rate-limited like complaints."""
    event = _open_week(entry)
    days = services.visit_days(event)
    form = VisitForm(days, request.POST or None, initial={"visit_on": days[0] if days else ""})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                booking = services.visit_book(
                    _public_actor(request), entry=event, values=form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                if exc.code == "rate_limited":
                    status = 429
            else:
                request.session["visit_booked"] = booking.code
                return redirect("public:visit_booked", code=booking.code)
    return render(
        request,
        "public/visit_book.html",
        {"e": event, "form": form, "city_phone": _city_phone()},
        status=status,
    )


@guarded(public=True)
@require_safe
def visit_booked_view(request: ActorRequest, code: str) -> HttpResponse:
    """The confirmation, for the browser that made the booking only."""
    if request.session.get("visit_booked") != code:
        raise Http404
    booking = VisitBooking.objects.select_related("entry", "collective").filter(code=code).first()
    if booking is None:
        raise Http404
    return render(
        request,
        "public/visit_booked.html",
        {
            "b": booking,
            "name": mask_name(booking.name),
            "phone": mask_phone(booking.phone),
            "city_phone": _city_phone(),
        },
    )


@guarded("public.view_visits")
def visits_view(request: ActorRequest) -> HttpResponse:
    """Back office: the bookings of the collectives the actor may see; phones masked."""
    actor = request.actor
    qs = (
        VisitBooking.objects.filter(collective__in=collectives_visible_to(actor))
        .select_related("entry", "collective")
        .order_by("-created_at", "-id")
    )
    code = (request.GET.get("collective") or "")[:12]
    if code:
        qs = qs.filter(collective__code=code)
    page = paginate(request, qs)
    rows = [{"b": b, "phone": mask_phone(b.phone)} for b in page.object_list]
    return render(
        request,
        "public/visits.html",
        {"page": page, "rows": rows, "qs": querystring_without_page(request)},
    )
