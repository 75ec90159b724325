"""Reads for the anonymous public site. Nothing here is scoped by an actor: what is public is
decided once, here. Only collectives that hold or once held a title are public, and only the
collective's own fields are read; members are never selected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qnwmh.collectives import selectors as collective_selectors
from qnwmh.collectives.models import Collective, CollectiveStatus, Level, Title, TitleStatus
from qnwmh.core import codes
from qnwmh.core.codes import normalise_code
from qnwmh.core.errors import NotFound
from qnwmh.core.panels import PUBLIC_COLLECTIVE, with_probes
from qnwmh.core.prepared import Bound, prepared
from qnwmh.core.querystring import Query
from qnwmh.cycles.models import COUNTED_STATUSES, Phase, Registration

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
        query = Query(params)
        stars = query.number("stars")
        return cls(
            q=query.text("q"),
            town=query.number("town"),
            sector=query.number("sector"),
            level=query.choice("level", Level.values),
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


def listed(**title_filter: Any) -> QuerySet[Collective]:
    """The directory's one rule: a collective in service holding an active title (with these
    fields, when given). The public directory page and the public API list these, and the
    API's public detail answers 404 for any other collective."""
    return Collective.objects.filter(
        Exists(Title.objects.active().filter(collective=OuterRef("pk"), **title_filter)),
        status=CollectiveStatus.ACTIVE,
    )


def directory(
    filters: DirectoryFilters, fields: tuple[str, ...] = DIRECTORY_FIELDS
) -> QuerySet[Collective]:
    """Collectives in service that hold an active title, filtered; one query per page plus
    one for their titles, however many rows. ``fields``: the columns a row reads."""
    title_filter: dict[str, Any] = {}
    if filters.level:
        title_filter["level"] = filters.level
    if filters.stars:
        title_filter["stars"] = filters.stars
    qs = listed(**title_filter)
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
        .only(*fields)
        .prefetch_related(active_titles_prefetch())
        .order_by("sort_key", "id")
    )


@prepared
def _directory_page(filters: DirectoryFilters) -> QuerySet[Collective]:
    return directory(filters).prefetch_related(None)


def directory_rows(filters: DirectoryFilters) -> QuerySet[Collective] | Bound[Collective]:
    """``directory`` as its page reads it, without the titles (``with_active_titles`` puts
    them on the page's rows): compiled once per process and set of filters, except a text
    search."""
    return _directory_page.bind_unless(filters.q, filters)


@prepared
def _listed_with_code(code: str) -> QuerySet[Collective]:
    return _public_columns(listed()).filter(code=code)


def listed_collective(code: str) -> Collective:
    """A collective of the directory (``listed``) with its public columns and its active
    titles (as the directory's rows have them), or NotFound."""
    collective = _listed_with_code.first(code)
    if collective is None:
        raise NotFound(_("没有找到这个编号的集体，请核对公示牌上的编号。"))
    collective_selectors.with_active_titles([collective])
    return collective


def public_collectives() -> QuerySet[Collective]:
    """Collectives with a public page (``collectives.selectors.public_collectives``)."""
    return collective_selectors.public_collectives()


def is_code_shaped(code: str) -> bool:
    return codes.is_code_shaped(code, Collective._meta.get_field("code").max_length)  # type: ignore[arg-type]


@prepared
def _public_with_code(code: str, page: bool) -> QuerySet[Collective]:
    qs = _public_columns(public_collectives()).prefetch_related(
        Prefetch("titles", queryset=Title.objects.order_by("-awarded_on", "-id"), to_attr="history")
    )
    if page:
        qs = with_probes(qs, PUBLIC_COLLECTIVE)
    return qs.filter(code=code)


def public_collective(code: str, *, page: bool = False) -> Collective:
    """The public collective with this code and its whole title history, or Http404. For its
    page (``page``), with whether each panel has rows (``core.panels.with_probes``)."""
    if not is_code_shaped(code):
        raise NotFound(_("没有找到这个编号的集体，请核对公示牌上的编号。"))
    collective = _public_with_code.first(code, page)
    if collective is None:
        raise NotFound(_("没有找到这个编号的集体，请核对公示牌上的编号。"))
    return collective


class Standing:
    """What the public is told a collective is, in one place (boards, verify, its page)."""

    TITLED = "titled"  # holds an active title: shown with its level and stars
    CREATING = "creating"  # registration accepted or filed in a cycle under way
    FORMER = "former"  # once held a title, none active, not creating now
    NOT_CREATING = "not_creating"  # never titled and not creating now


# A cycle is under way from its opening until it closes.
RUNNING_PHASES = tuple(p for p in Phase.values if p not in (Phase.DRAFT, Phase.CLOSED))


def creating_ids(ids: list[int]) -> set[int]:
    """Of these collectives, those creating now: a registration accepted at the preliminary
    review or filed, in a cycle under way. Submitted, returned, rejected or withdrawn
    registrations, and those of an ended cycle, are not creating."""
    if not ids:
        return set()
    return set(
        Registration.objects.filter(
            collective_id__in=ids, status__in=COUNTED_STATUSES, cycle__phase__in=RUNNING_PHASES
        ).values_list("collective_id", flat=True)
    )


def standing(*, titled: bool, creating: bool, held_before: bool) -> str:
    if titled:
        return Standing.TITLED
    if creating:
        return Standing.CREATING
    return Standing.FORMER if held_before else Standing.NOT_CREATING


def standing_of(collective: Collective) -> str:
    titles = list(collective.titles.values_list("status", flat=True))
    return standing(
        titled=TitleStatus.ACTIVE in titles,
        creating=bool(creating_ids([collective.pk])),
        held_before=bool(titles),
    )


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CREATING = "creating"  # never held a title, registration accepted in a running cycle
    NOT_CREATING = "not_creating"  # never held a title and not creating now
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
        creating = bool(creating_ids([collective.pk]))
        return Verification(Verdict.CREATING if creating else Verdict.NOT_CREATING, collective)
    ended = max(history, key=lambda t: (t.ended_on or t.awarded_on, t.id))
    verdict = Verdict.REVOKED if ended.status == TitleStatus.REVOKED else Verdict.EXPIRED
    return Verification(verdict, collective, (ended,))
