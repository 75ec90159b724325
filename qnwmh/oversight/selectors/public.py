"""What the public is told about a title's standing on the sanctions ladder: warned (with the
date), stars reduced (with the stars it has now), revoked (with the date and the published
category). Read in bulk from ``standing.standings`` plus one query for the revoked titles'
exits; the public collective page and the verify page ask here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qnwmh.collectives.models import Title
from qnwmh.oversight.ladder import Standing
from qnwmh.oversight.models import Exit
from qnwmh.oversight.selectors.exits import published_category
from qnwmh.oversight.selectors.standing import standings


@dataclass(frozen=True)
class PublicStanding:
    standing: str
    on: datetime.date | None = None
    stars: int | None = None
    category: str = ""

    @property
    def sanctioned(self) -> bool:
        return self.standing in (Standing.WARNED, Standing.STARS_REDUCED)

    @property
    def revoked(self) -> bool:
        return self.standing == Standing.REVOKED

    @property
    def text(self) -> str:
        """The sentence shown beside the title ("" in good standing or merely ended)."""
        day = self.on.isoformat() if self.on else ""
        if self.standing == Standing.WARNED:
            return _("已警告提醒（%(d)s）") % {"d": day}
        if self.standing == Standing.STARS_REDUCED:
            return _("已调整星级（现 %(n)s 星）") % {"n": self.stars}
        if self.standing == Standing.REVOKED:
            if self.category:
                return _("已撤销（%(d)s，%(category)s）") % {"d": day, "category": self.category}
            return _("已撤销（%(d)s）") % {"d": day}
        return ""


def public_standings(titles: Iterable[Title]) -> dict[int, PublicStanding]:
    titles = list(titles)
    info = standings(titles)
    revoked = [t.id for t in titles if info[t.id].standing == Standing.REVOKED]
    exits = (
        {
            e.title_id: e
            for e in Exit.objects.filter(title_id__in=revoked).select_related("sanction")
        }
        if revoked
        else {}
    )
    out: dict[int, PublicStanding] = {}
    for t in titles:
        s = info[t.id]
        e = exits.get(t.id)
        out[t.id] = PublicStanding(
            s.standing,
            on=s.since,
            stars=t.stars if s.standing == Standing.STARS_REDUCED else None,
            category=published_category(e) if e is not None else "",
        )
    return out


def attach_public_standings(titles: Iterable[Title]) -> None:
    """Put each title's ``PublicStanding`` on it as ``public_standing`` (for templates)."""
    titles = list(titles)
    found = public_standings(titles)
    for t in titles:
        t.public_standing = found[t.id]  # type: ignore[attr-defined]
