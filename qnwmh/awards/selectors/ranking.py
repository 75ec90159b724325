"""Reads of the ranking part: rounds to rank, the live ranking's rows as the actor may see
them (a body admin its subtree's), the caps table, the shortlist's entries, league support."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qnwmh.awards.caps import Caps
from qnwmh.awards.models import EntryStatus, LeagueSupport, Shortlist, ShortlistEntry
from qnwmh.awards.ranking import LISTED, Exclusion, Ranked, Ranking
from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.core.actor import Actor
from qnwmh.core.scope import in_scope
from qnwmh.orgs.models import Organisation


def rounds(actor: Actor) -> QuerySet[CertificationRound]:
    """Rounds are not scoped by body; the permission (checked first) decides who reads."""
    return CertificationRound.objects.select_related("cycle", "shortlist").order_by(
        "-cycle__session_no"
    )


def round_of(actor: Actor, code: str) -> CertificationRound:
    return get_object_or_404(CertificationRound.objects.select_related("cycle", "exam"), code=code)


def shortlist_of(actor: Actor, code: str) -> Shortlist:
    return get_object_or_404(
        Shortlist.objects.select_related("round__cycle", "frozen_by"), code=code
    )


def ranking_shown(actor: Actor, r: CertificationRound) -> bool:
    """As with the scores: body admins see the ranking only once scoring has closed."""
    return actor.is_city_admin or r.status == RoundStatus.CLOSED


def visible(actor: Actor, rows: Iterable[Ranked], body: int | None = None) -> list[Ranked]:
    """The rows of the actor's bodies (all for the city), optionally of one body."""
    if body:
        allowed = actor.is_city_admin or body in actor.body_ids
        return [r for r in rows if r.candidate.body_id == body] if allowed else []
    if actor.is_city_admin:
        return list(rows)
    mine = set(actor.body_ids)
    return [r for r in rows if r.candidate.body_id in mine]


@dataclass(frozen=True)
class Names:
    """What a ranking page or the API shows of an application besides its scores."""

    code: str
    collective: str
    body: str  # the body's short name, else its name


@dataclass(frozen=True)
class RowView:
    """A ranked row with the names a page shows (fetched for one page of rows at a time)."""

    row: Ranked
    app: Names | None
    cut_before: bool = False  # the per-body cut line is drawn above this row

    @property
    def exclusion_label(self) -> str:
        return str(Exclusion(self.row.exclusion).label) if self.row.exclusion else ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def with_names(rows: Iterable[Ranked], *, cut: Ranked | None = None) -> list[RowView]:
    """One query for the rows given (a page), whatever the round's size; ``cut`` is the row
    the cut line goes above."""
    rows = list(rows)
    # Plain values of the columns shown: a third of the time of model instances.
    apps = {
        a["id"]: Names(a["code"], a["collective__name"], a["body__short_name"] or a["body__name"])
        for a in Application.objects.filter(id__in=[r.application_id for r in rows]).values(
            "id", "code", "collective__name", "body__name", "body__short_name"
        )
    }
    return [RowView(r, apps.get(r.application_id), r is cut) for r in rows]


def first_below_cut(rows: list[Ranked]) -> Ranked | None:
    """In one body's rows: the first not listed after a listed one (a special recommendation
    listed further down keeps its place and its badge)."""
    for before, row in itertools.pairwise(rows):
        if before.status == LISTED and row.status != LISTED:
            return row
    return None


@dataclass(frozen=True)
class CapRow:
    body: Organisation
    quota: int
    accepted: int
    cap: int
    listed: int


def caps_table(actor: Actor, caps: Caps, ranking: Ranking) -> list[CapRow]:
    """Each visible body's quota, accepted registrations, cap and places the cut gives it."""
    listed = ranking.listed_per_body()
    ids = [b for b in caps.bodies if actor.is_city_admin or b in actor.body_ids]
    names = Organisation.objects.in_bulk(ids)
    out = [
        CapRow(names[b], c.quota, c.accepted, caps.body_cap(b), listed.get(b, 0))
        for b, c in caps.bodies.items()
        if b in names
    ]
    return sorted(out, key=lambda row: (row.body.path, row.body.id))


# The shortlist -------------------------------------------------------------------------------


def entries_visible_to(actor: Actor, shortlist: Shortlist) -> QuerySet[ShortlistEntry]:
    return in_scope(shortlist.entries.all(), actor, body="body")


def entries_by_status(actor: Actor, shortlist: Shortlist) -> dict[str, list[ShortlistEntry]]:
    """Every visible entry in one query, grouped by status in the statuses' order."""
    qs = entries_visible_to(actor, shortlist).select_related("collective", "body", "moved_up_by")
    out: dict[str, list[ShortlistEntry]] = {s: [] for s in EntryStatus.values}
    for entry in qs.order_by("city_position", "id"):
        # The stored code, shown as its label (ShortlistEntry keeps facts, not sentences).
        entry.exclusion_label = (  # type: ignore[attr-defined]
            str(Exclusion(entry.exclusion_reason).label) if entry.exclusion_reason else ""
        )
        out[entry.status].append(entry)
    return out


def entry_of(actor: Actor, code: str, entry_id: int) -> ShortlistEntry:
    shortlist = shortlist_of(actor, code)
    return get_object_or_404(
        entries_visible_to(actor, shortlist).select_related("shortlist__round__cycle", "body"),
        id=entry_id,
    )


# League support ------------------------------------------------------------------------------


def league_applications(actor: Actor, r: CertificationRound) -> QuerySet[Application]:
    """The round's recommended applications the actor's bodies enter league support for."""
    qs = Application.objects.filter(round=r, status=ApplicationStatus.RECOMMENDED)
    return (
        in_scope(qs, actor, body="body")
        .select_related("collective", "body", "league_support")
        .order_by("body__path", "body_rank", "id")
    )


def league_application(actor: Actor, round_code: str, code: str) -> Application:
    r = round_of(actor, round_code)
    return get_object_or_404(
        league_applications(actor, r).select_related("round__cycle"), code=code
    )


def league_support_of(application: Application) -> LeagueSupport | None:
    return LeagueSupport.objects.filter(application=application).first()
