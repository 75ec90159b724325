"""Reads for the anonymous public site. Nothing here is scoped by an actor: what is public is
decided once, here. Only collectives that hold or once held a title are public, and only the
collective's own fields are read; members are never selected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from qnwmh.collectives.models import Collective, CollectiveStatus, Level, Title, TitleStatus
from qnwmh.core.codes import ALPHABET

# The 三级三星制 scheme: a title carries one to three stars (Title's check constraint).
STAR_CHOICES = (1, 2, 3)
# Highest level first, for showing a collective's best title.
LEVEL_RANK = {Level.NATIONAL: 0, Level.PROVINCIAL: 1, Level.CITY: 2, Level.DISTRICT: 3}
# The collective fields a public page may show. Anything else (member counts, eligibility,
# the managing body's internals) stays in the back office.
PUBLIC_FIELDS = (
    "id",
    "code",
    "name",
    "work_unit",
    "town__name",
    "sector__name",
    "status",
    "photo",
    "supervision_phone",
    "supervision_email",
    "pledges",
    "address",
)
# A directory row needs only these; a narrow row keeps the sort behind ORDER BY name cheap.
DIRECTORY_FIELDS = ("id", "code", "name", "town__name", "sector__name")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    town: int | None = None
    sector: int | None = None
    level: str = ""
    stars: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> DirectoryFilters:
        def as_int(name: str) -> int | None:
            raw = str(params.get(name) or "")
            return int(raw) if raw.isdigit() and len(raw) < 10 else None

        level = params.get("level") or ""
        stars = as_int("stars")
        return cls(
            q=(params.get("q") or "").strip()[:50],
            town=as_int("town"),
            sector=as_int("sector"),
            level=level if level in Level.values else "",
            stars=stars if stars in STAR_CHOICES else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.town or self.sector or self.level or self.stars)


def _public_columns(qs: QuerySet[Collective]) -> QuerySet[Collective]:
    return qs.select_related("town", "sector").only(*PUBLIC_FIELDS)


def active_titles_prefetch() -> Prefetch[Any]:
    return Prefetch("titles", queryset=Title.objects.active(), to_attr="active_titles")


def best_title(titles: list[Title]) -> Title | None:
    """The highest-level active title (ties: the most stars)."""
    ranked = sorted(titles, key=lambda t: (LEVEL_RANK.get(t.level, 9), -t.stars))  # type: ignore[call-overload]
    return ranked[0] if ranked else None


def directory(filters: DirectoryFilters) -> QuerySet[Collective]:
    """Collectives in service that hold an active title, filtered; one query per page plus
    one for their titles, however many rows."""
    title_filter: dict[str, Any] = {}
    if filters.level:
        title_filter["level"] = filters.level
    if filters.stars:
        title_filter["stars"] = filters.stars
    qs = Collective.objects.filter(
        Exists(Title.objects.active().filter(collective=OuterRef("pk"), **title_filter)),
        status=CollectiveStatus.ACTIVE,
    )
    if filters.q:
        # icontains is UPPER(name) LIKE UPPER('%q%'): works for one- and two-character Chinese
        # queries on both databases; on PostgreSQL the trigram index on UPPER(name) serves it.
        qs = qs.filter(name__icontains=filters.q)
    if filters.town:
        qs = qs.filter(town_id=filters.town)
    if filters.sector:
        qs = qs.filter(sector_id=filters.sector)
    return (
        qs.select_related("town", "sector")
        .only(*DIRECTORY_FIELDS)
        .prefetch_related(active_titles_prefetch())
        .order_by("sort_key", "id")
    )


def public_collectives() -> QuerySet[Collective]:
    """Collectives with a public page: every collective in service (a creating collective posts
    its notice board with this page's QR code too, so the public can supervise it), and every
    archived one that once held a title (its history stays public)."""
    return Collective.objects.filter(
        Q(status=CollectiveStatus.ACTIVE) | Exists(Title.objects.filter(collective=OuterRef("pk")))
    )


def normalise_code(raw: str) -> str:
    """A code as typed from a plaque: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def is_code_shaped(code: str) -> bool:
    return 0 < len(code) <= Collective._meta.get_field("code").max_length and all(  # type: ignore[operator]
        ch in ALPHABET for ch in code
    )


def public_collective(code: str) -> Collective:
    """The public collective with this code and its whole title history, or Http404."""
    if not is_code_shaped(code):
        raise Http404
    qs = _public_columns(public_collectives()).prefetch_related(
        Prefetch("titles", queryset=Title.objects.order_by("-awarded_on", "-id"), to_attr="history")
    )
    collective = qs.filter(code=code).first()
    if collective is None:
        raise Http404
    return collective


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CREATING = "creating"  # a collective in service that never held a title
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    verdict: str
    collective: Collective | None = None
    titles: tuple[Title, ...] = ()  # the active titles when valid, else the last ended one

    @property
    def ended_on(self) -> Any:
        return self.titles[0].ended_on if self.titles and self.verdict != Verdict.VALID else None


def verify(code: str) -> Verification:
    """Valid while any title is active; otherwise the state of the most recently ended title;
    unknown for a code that matches no public collective."""
    try:
        collective = public_collective(normalise_code(code))
    except Http404:
        return Verification(Verdict.UNKNOWN)
    history: list[Title] = collective.history  # type: ignore[attr-defined]
    active = sorted(
        (t for t in history if t.status == TitleStatus.ACTIVE),
        key=lambda t: (LEVEL_RANK.get(t.level, 9), -t.stars),  # type: ignore[call-overload]
    )
    if active:
        return Verification(Verdict.VALID, collective, tuple(active))
    if not history:
        return Verification(Verdict.CREATING, collective)
    ended = max(history, key=lambda t: (t.ended_on or t.awarded_on, t.id))
    verdict = Verdict.REVOKED if ended.status == TitleStatus.REVOKED else Verdict.EXPIRED
    return Verification(verdict, collective, (ended,))
