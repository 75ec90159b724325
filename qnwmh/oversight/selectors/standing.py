"""A title's standing on the sanctions ladder, read in bulk: the public page, the verify page,
the sanction forms and the lists all ask here. Two queries whatever the number of titles."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from qnwmh.collectives.models import Title, TitleStatus
from qnwmh.oversight.ladder import AFTER, Standing
from qnwmh.oversight.models import (
    CaseStatus,
    Outcome,
    ReviewCase,
    Sanction,
    SanctionKind,
    SanctionStatus,
)


@dataclass(frozen=True)
class StandingInfo:
    standing: str
    # The imposed sanction the standing rests on (None in good standing).
    sanction: Sanction | None = None
    since: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(Standing(self.standing).label)

    @property
    def sanctioned(self) -> bool:
        return self.standing in (Standing.WARNED, Standing.STARS_REDUCED)


def standings(titles: Iterable[Title]) -> dict[int, StandingInfo]:
    """Each title's standing: ended titles by their status; active ones by their latest
    imposed sanction, unless a re-review passed after it."""
    titles = list(titles)
    active = [t.id for t in titles if t.status == TitleStatus.ACTIVE]
    latest: dict[int, Sanction] = {}
    for imposed in (
        Sanction.objects.filter(title_id__in=active, status=SanctionStatus.IMPOSED)
        .exclude(kind=SanctionKind.REVOCATION)
        .order_by("title_id", "decided_at", "id")
    ):
        latest[imposed.title_id] = imposed
    # The latest passed re-review of each sanctioned title clears the sanctions before it.
    passed: dict[int, datetime.datetime] = {}
    for title_id, decided_at in (
        ReviewCase.objects.filter(
            title_id__in=list(latest), status=CaseStatus.DECIDED, outcome=Outcome.PASS
        )
        .order_by("title_id", "decided_at")
        .values_list("title_id", "decided_at")
    ):
        if decided_at is not None:
            passed[title_id] = decided_at
    out: dict[int, StandingInfo] = {}
    for t in titles:
        if t.status == TitleStatus.REVOKED:
            out[t.id] = StandingInfo(Standing.REVOKED, since=t.ended_on)
            continue
        if t.status != TitleStatus.ACTIVE:
            out[t.id] = StandingInfo(Standing.ENDED, since=t.ended_on)
            continue
        s = latest.get(t.id)
        at = s.decided_at if s is not None else None
        cleared = at is not None and t.id in passed and passed[t.id] > at
        if s is None or at is None or cleared:
            out[t.id] = StandingInfo(Standing.GOOD)
        else:
            out[t.id] = StandingInfo(
                AFTER[SanctionKind(s.kind)], sanction=s, since=timezone.localdate(at)
            )
    return out


def standing_of(title: Title) -> StandingInfo:
    return standings([title])[title.id]
