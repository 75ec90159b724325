"""Excel exports of the collective list and of the rosters behind it. Both take the same
filters as the list page and start from ``collectives_visible_to``; the first columns use
the import template's headers, so an export can be edited and imported again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
)
from qnwmh.collectives.models import (
    Collective,
    CollectiveStatus,
    Eligibility,
    Level,
    Member,
    Nationality,
    Ownership,
    Title,
)
from qnwmh.collectives.selectors import (
    CollectiveFilters,
    collectives_visible_to,
    filter_collectives,
)
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.masking import age_band, shown_phone
from qnwmh.core.permissions import can

CHUNK = 2000


def collective_headers() -> list[str]:
    # The import template's fixed headers first (so the file can be imported back whatever
    # the interface language), then read-only facts.
    return [c.header for c in COLLECTIVE_COLUMNS] + [
        _("集体编码"),
        _("有效称号"),
        _("成员数"),
        _("资格"),
        _("状态"),
    ]


def member_headers() -> list[str]:
    return [c.header for c in MEMBER_COLUMNS]


COLLECTIVE_VALUES = (
    "id",
    "name",
    "work_unit",
    "body__name",
    "town__name",
    "sector__name",
    "ownership",
    "address",
    "supervision_phone",
    "supervision_email",
    "pledges",
    "code",
    "member_count",
    "eligibility",
    "status",
)


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _titles_by_collective(ids: list[int]) -> dict[int, str]:
    levels = _labels(Level.choices)
    out: dict[int, list[str]] = {}
    titles = Title.objects.active().filter(collective_id__in=ids).order_by("level")
    for cid, level, stars in titles.values_list("collective_id", "level", "stars"):
        out.setdefault(cid, []).append(f"{levels.get(level, level)}{f' {stars}★' if stars else ''}")
    return {cid: "、".join(names) for cid, names in out.items()}


def _collective_rows(actor: Actor, filters: CollectiveFilters) -> Iterator[list[Any]]:
    """Plain value rows (no model instances) in chunks, the chunk's titles in one query."""
    qs = filter_collectives(collectives_visible_to(actor), filters).order_by("sort_key", "id")
    ownership, eligibility = _labels(Ownership.choices), _labels(Eligibility.choices)
    status = _labels(CollectiveStatus.choices)
    chunk: list[tuple[Any, ...]] = []

    def flush() -> Iterator[list[Any]]:
        titles = _titles_by_collective([row[0] for row in chunk])
        for (
            cid,
            name,
            unit,
            body,
            town,
            sector,
            own,
            address,
            phone,
            email,
            pledges,
            code,
            members,
            elig,
            st,
        ) in chunk:
            yield [
                name,
                unit,
                body,
                town,
                sector or "",
                ownership.get(own, own),
                address,
                phone,
                email,
                pledges,
                code,
                titles.get(cid, ""),
                members,
                eligibility.get(elig, elig),
                status.get(st, st),
            ]
        chunk.clear()

    for row in qs.values_list(*COLLECTIVE_VALUES).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from flush()
    yield from flush()


def collectives_export(actor: Actor, filters: CollectiveFilters) -> HttpResponseBase:
    size = filter_collectives(collectives_visible_to(actor), filters).count()
    return inline_or_background(
        actor, size=size, label=_("集体"), run=collectives_file, filters=filters
    )


def collectives_file(actor: Actor, filters: CollectiveFilters) -> FileResponse:
    return export_xlsx(
        actor,
        code="collectives.collective.exported",
        filename=str(_("集体")),
        sheets=[(COLLECTIVES_SHEET, collective_headers(), _collective_rows(actor, filters))],
        filters=asdict(filters),
    )


def _member_rows(actor: Actor, filters: CollectiveFilters) -> Iterator[list[Any]]:
    collectives = filter_collectives(collectives_visible_to(actor), filters)
    qs = (
        Member.objects.current()
        .filter(collective__in=collectives)
        .order_by("collective__sort_key", "collective_id", "id")
        .values_list(
            "collective_id",
            "collective__body_id",
            "collective__body__name",
            "collective__name",
            "name",
            "birth_date",
            "nationality",
            "post",
            "phone",
            "is_leader",
        )
    )
    yes, no = str(_("是")), str(_("否"))
    nationality = _labels(Nationality.choices)
    full: dict[int, bool] = {}
    # An age band per birth date, not per row (the band's words are translated each time).
    bands: dict[Any, Any] = {}
    for cid, body_id, body, collective, name, birth, nat, post, phone, leader in qs.iterator(
        chunk_size=CHUNK
    ):
        if cid not in full:
            # The permission reads only the collective's id and body (as on the roster page).
            full[cid] = can(
                actor, "collectives.view_personal_data", Collective(id=cid, body_id=body_id)
            )
        yield [
            body,
            collective,
            name,
            # Outside the collective and its body: the age band, not the birth date.
            birth if full[cid] else bands.get(birth) or bands.setdefault(birth, age_band(birth)),
            nationality.get(nat, nat),
            post,
            shown_phone(phone, full[cid]),
            yes if leader else no,
        ]


def members_export(actor: Actor, filters: CollectiveFilters) -> HttpResponseBase:
    collectives = filter_collectives(collectives_visible_to(actor), filters)
    size = Member.objects.current().filter(collective__in=collectives).count()
    return inline_or_background(
        actor, size=size, label=_("成员名单"), run=members_file, filters=filters
    )


def members_file(actor: Actor, filters: CollectiveFilters) -> FileResponse:
    return export_xlsx(
        actor,
        code="collectives.member.exported",
        filename=str(_("成员名单")),
        sheets=[(MEMBERS_SHEET, member_headers(), _member_rows(actor, filters))],
        filters=asdict(filters),
    )
