"""Printable A4 notice boards (公示牌) rendered with WeasyPrint and the Noto CJK fonts.

The board is HTML + CSS (templates/public/board.html) so it shares the translations and the
look of the site; fonts are chosen by fontconfig name, so any machine with fonts-noto-cjk
prints the same glyphs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.template.loader import render_to_string

from qnwmh.collectives.models import Collective, CollectiveStatus, Title
from qnwmh.collectives.selectors import collectives_visible_to
from qnwmh.core.actor import Actor
from qnwmh.programme.models import ProgrammeRules
from qnwmh.public.qr import qr_data_uri
from qnwmh.public.selectors import best_title, creating_ids

# One PDF is built in the request; past this many pages the user is asked to narrow it down
# (a body's collectives number in the tens, the whole city in the hundreds).
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
    from weasyprint import HTML  # imported here: loading Pango costs ~0.3 s at start-up

    collectives = list(collectives)
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
    return bytes(HTML(string=html).write_pdf())
