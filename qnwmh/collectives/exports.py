"""Excel exports of the collective list and of the rosters behind it. Both take the same
filters as the list page and start from ``collectives_visible_to``; the first columns use
the import template's headers, so an export can be edited and imported again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _

from qnwmh.accounts.actor import Actor
from qnwmh.accounts.permissions import can
from qnwmh.audit.exports import export_xlsx
from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
)
from qnwmh.collectives.models import Member, Nationality
from qnwmh.collectives.selectors import (
    CollectiveFilters,
    collective_list,
    collectives_visible_to,
    filter_collectives,
)
from qnwmh.core.masking import mask_phone

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


def _collective_rows(actor: Actor, filters: CollectiveFilters) -> Iterator[list[Any]]:
    qs = collective_list(actor, filters).order_by("name", "id")
    for c in qs.iterator(chunk_size=CHUNK):
        titles = "、".join(
            f"{t.get_level_display()}{' ' + str(t.stars) + '★' if t.stars else ''}"
            for t in c.active_titles  # type: ignore[attr-defined]
        )
        yield [
            c.name,
            c.work_unit,
            c.body.name,
            c.town.name,
            c.sector.name if c.sector else "",
            c.get_ownership_display(),
            c.address,
            c.supervision_phone,
            c.supervision_email,
            c.pledges,
            c.code,
            titles,
            c.member_count,
            c.get_eligibility_display(),
            c.get_status_display(),
        ]


def collectives_export(actor: Actor, filters: CollectiveFilters) -> FileResponse:
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
        .select_related("collective__body")
        .order_by("collective__name", "collective_id", "id")
    )
    yes, no = str(_("是")), str(_("否"))
    nationality = {value: str(label) for value, label in Nationality.choices}
    full: dict[int, bool] = {}
    for m in qs.iterator(chunk_size=CHUNK):
        c = m.collective
        if c.pk not in full:
            full[c.pk] = can(actor, "collectives.view_personal_data", c)
        yield [
            c.body.name,
            c.name,
            m.name,
            m.birth_date,
            nationality.get(m.nationality, m.nationality),
            m.post,
            m.phone if full[c.pk] else mask_phone(m.phone),
            yes if m.is_leader else no,
        ]


def members_export(actor: Actor, filters: CollectiveFilters) -> FileResponse:
    return export_xlsx(
        actor,
        code="collectives.member.exported",
        filename=str(_("成员名单")),
        sheets=[(MEMBERS_SHEET, member_headers(), _member_rows(actor, filters))],
        filters=asdict(filters),
    )
