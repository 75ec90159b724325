"""Excel of the events list (the filters of the page), in the background past
``EXPORT_INLINE_ROWS`` rows. Scoped as the list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from qnwmh.audit.exports import export_xlsx
from qnwmh.core.actor import Actor
from qnwmh.core.background import inline_or_background
from qnwmh.core.labels import choice_label
from qnwmh.exchange.selectors import EventFilters, event_list


def header() -> list[str]:
    return [
        _("活动名称"),
        _("活动类型"),
        _("主办单位"),
        _("活动日期"),
        _("活动地点"),
        _("状态"),
        _("名额上限"),
        _("已报名集体"),
        _("接待集体"),
        _("来访集体"),
    ]


def rows(actor: Actor, filters: EventFilters) -> Iterator[list[Any]]:
    for e in event_list(actor, filters).iterator(chunk_size=2000):
        yield [
            e.title,
            choice_label(e, "kind"),
            e.organiser.name,
            e.held_on,
            e.place,
            choice_label(e, "status"),
            e.capacity if e.capacity is not None else "",
            e.registered_count,
            e.host.name if e.host else "",
            e.guest.name if e.guest else "",
        ]


def events_export(actor: Actor, filters: EventFilters) -> HttpResponseBase:
    return inline_or_background(
        actor,
        size=event_list(actor, filters).count(),
        label=_("交流活动"),
        run=events_file,
        filters=asdict(filters),
    )


def events_file(actor: Actor, *, filters: dict[str, Any]) -> FileResponse:
    f = EventFilters(**filters)
    return export_xlsx(
        actor,
        code="exchange.events.exported",
        filename="exchange-events",
        sheets=[(_("交流活动"), header(), rows(actor, f))],
        filters={k: v for k, v in filters.items() if v},
    )
