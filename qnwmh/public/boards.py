"""Printable A4 notice boards (公示牌) rendered with WeasyPrint and the Noto CJK fonts.

The board is HTML + CSS (templates/public/board.html) so it shares the translations and the
look of the site; fonts are chosen by fontconfig name, so any machine with fonts-noto-cjk
prints the same glyphs. A bulk print of more than ``PDF_INLINE_ITEMS`` boards is built by the
worker and kept for download (``qnwmh.core.background``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from qnwmh.collectives.models import Collective, CollectiveStatus, Title
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.core.background import counted, inline_or_background
from qnwmh.core.pdf import html_to_pdf
from qnwmh.programme.models import ProgrammeRules
from qnwmh.public.qr import qr_data_uri
from qnwmh.public.selectors import best_title, creating_ids

# Past this many pages in one PDF the user is asked to narrow it down (a body's collectives
# number in the tens, the whole city in the hundreds).
MAX_BOARDS_PER_PDF = 200


@dataclass(frozen=True)
class Board:
    collective: Collective
    title: Title | None
    url: str
    qr: str
    creating: bool = False  # untitled: says "创建集体" only when it is creating now


def _with_titles(qs: QuerySet[Collective]) -> QuerySet[Collective]:
    return qs.select_related("town").prefetch_related(
        Prefetch(
            "titles",
            queryset=Title.objects.active(),
            to_attr="active_titles",
        )
    )


def board_collective(actor: Actor, code: str) -> Collective:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(_with_titles(collectives_visible_to(actor)), code=code)


def board_collectives(
    actor: Actor, *, body: Any = None, titled_only: bool = True
) -> QuerySet[Collective]:
    """The collectives in service whose boards a bulk download holds, within the actor's scope."""
    qs = collectives_visible_to(actor).filter(status=CollectiveStatus.ACTIVE)
    if body is not None:
        qs = qs.filter(body=body)
    if titled_only:
        qs = qs.filter(Exists(Title.objects.active().filter(collective=OuterRef("pk"))))
    return _with_titles(qs).order_by("sort_key", "id")


def render_boards(collectives: Iterable[Collective], url_for: Callable[[Collective], str]) -> bytes:
    collectives = list(counted(collectives))  # counted: a background build shows its progress
    creating = creating_ids([c.pk for c in collectives])
    boards = []
    for c in collectives:
        url = url_for(c)
        title = best_title(c.active_titles)  # type: ignore[attr-defined]
        boards.append(Board(c, title, url, qr_data_uri(url), c.pk in creating))
    html = render_to_string(
        "public/board.html",
        {
            "boards": boards,
            "city_phone": ProgrammeRules.current().supervision_phone,
        },
    )
    return html_to_pdf(html)


def boards_response(
    actor: Actor, qs: QuerySet[Collective], request: HttpRequest, *, count: int
) -> HttpResponseBase:
    """A bulk print of ``count`` boards: now, or past ``PDF_INLINE_ITEMS`` in the background."""
    # The address the QR codes lead to, as ``public_url`` gives it, without the request.
    site = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    return inline_or_background(
        actor,
        size=count,
        limit=settings.PDF_INLINE_ITEMS,
        label=_("公示牌（%(n)d 个集体）") % {"n": count},
        run=boards_file,
        qs=qs,
        site=site,
    )


def boards_file(actor: Actor, qs: QuerySet[Collective], site: str) -> HttpResponse:
    def url_for(c: Collective) -> str:
        return site + reverse("public:collective", kwargs={"code": c.code})

    response = HttpResponse(render_boards(qs, url_for), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="boards.pdf"'
    return response
