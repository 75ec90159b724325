"""The ranking of a round's recommended applications: pure arithmetic, no database.

``rank(candidates, weights, caps)`` gives each candidate

- its **adjusted** review score: the combined score, or, with per-area normalisation, the
  combined score mapped from its review area's mean and spread onto the city's (an area of one
  collective, or whose scores do not spread, is only shifted onto the city mean), kept to
  four decimal places;
- its **appraisal** score: the rating average (1–5 stars) mapped to 0–100, minus the penalty
  per upheld complaint, floored at 0. A collective nobody rated gets ``NO_RATINGS_APPRAISAL``
  (60, a pass: no ratings is no evidence either way, and the city mean would let a quiet
  collective ride on the others' praise);
- its **final** score: adjusted × (100 − wL − wA)% + league support × wL% + appraisal × wA%,
  rounded to 2 places (missing league support counts 0: the body had to enter it);
- the **test gate**: when the round has a knowledge test, failing or missing it excludes;
  so does having no combined score;
- its positions (ties by the rules' tie-break scores, then the body's own recommendation
  order, then the application id) and the **cut** per body: the body's first ``cap`` places,
  special recommendations (特别推荐) taking theirs first, inside the cap; the rest reserve.

Everything the ranking reads is in a ``Candidate``, which round-trips through the JSON a
frozen entry stores (``to_inputs`` / ``from_inputs``), so a shortlist can be re-ranked from
what was frozen and must come out the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

LISTED, RESERVE, EXCLUDED = "listed", "reserve", "excluded"  # = awards.models.EntryStatus
NO_RATINGS_APPRAISAL = Decimal(60)
CENT = Decimal("0.01")
ADJUSTED_PLACES = Decimal("0.0001")
# Scores a tie-break may name (programme TieBreak values are "first,second").
TIE_FIELDS = ("test", "defence", "site")


class Exclusion(models.TextChoices):
    """Why a candidate is not ranked (stored as the code on the entry, shown as the label)."""

    NO_SCORE = "no_score", _("无综合得分")
    TEST_ABSENT = "test_absent", _("未参加知识测试")
    TEST_FAILED = "test_failed", _("知识测试未通过")


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Candidate:
    application_id: int
    body_id: int
    area_id: int | None
    combined: Decimal | None
    site: Decimal | None = None
    defence: Decimal | None = None
    test_score: Decimal | None = None
    test_passed: bool | None = None  # None: the round has no knowledge test
    league_support: Decimal | None = None
    ratings: int = 0
    rating_avg: Decimal | None = None
    upheld: int = 0
    special: bool = False
    body_rank: int | None = None

    def to_inputs(self) -> dict[str, Any]:
        """The JSON an entry keeps (``ShortlistEntry.inputs``); ids and the special flag are
        the entry's own columns but are kept here too so the inputs alone re-rank."""
        return {
            "body": self.body_id,
            "area": self.area_id,
            "combined": _str(self.combined),
            "site": _str(self.site),
            "defence": _str(self.defence),
            "test_score": _str(self.test_score),
            "test_passed": self.test_passed,
            "league_support": _str(self.league_support),
            "ratings": self.ratings,
            "rating_avg": _str(self.rating_avg),
            "upheld": self.upheld,
            "special": self.special,
            "body_rank": self.body_rank,
        }

    @classmethod
    def from_inputs(cls, application_id: int, inputs: Mapping[str, Any]) -> Candidate:
        return cls(
            application_id=application_id,
            body_id=int(inputs["body"]),
            area_id=inputs.get("area"),
            combined=_dec(inputs.get("combined")),
            site=_dec(inputs.get("site")),
            defence=_dec(inputs.get("defence")),
            test_score=_dec(inputs.get("test_score")),
            test_passed=inputs.get("test_passed"),
            league_support=_dec(inputs.get("league_support")),
            ratings=int(inputs.get("ratings") or 0),
            rating_avg=_dec(inputs.get("rating_avg")),
            upheld=int(inputs.get("upheld") or 0),
            special=bool(inputs.get("special")),
            body_rank=inputs.get("body_rank"),
        )


@dataclass(frozen=True)
class Weights:
    """The rules' five ranking settings; ``pass_score`` is shown only (the gate reads each
    candidate's ``test_passed``, which the knowledge app decided against it)."""

    league_pct: int = 10
    appraisal_pct: int = 10
    penalty_per_upheld: int = 10
    area_normalisation: str = "none"  # programme AreaNormalisation
    tie_break: str = "test,defence"  # programme TieBreak
    pass_score: int = 60

    def __post_init__(self) -> None:
        if self.league_pct < 0 or self.appraisal_pct < 0:
            raise ValueError("weights must not be negative")
        if self.league_pct + self.appraisal_pct > 100:
            raise ValueError("league and appraisal weights exceed 100%")
        if any(f not in TIE_FIELDS for f in self.tie_break.split(",")):
            raise ValueError(f"unknown tie-break {self.tie_break!r}")

    @property
    def review_pct(self) -> int:
        return 100 - self.league_pct - self.appraisal_pct

    def as_parameters(self) -> dict[str, Any]:
        """The shortlist's ``parameters`` (programme rule names)."""
        return {
            "league_support_weight_pct": self.league_pct,
            "appraisal_weight_pct": self.appraisal_pct,
            "appraisal_penalty_per_upheld": self.penalty_per_upheld,
            "area_normalisation": self.area_normalisation,
            "tie_break": self.tie_break,
            "knowledge_pass_score": self.pass_score,
        }

    @classmethod
    def from_parameters(cls, p: Mapping[str, Any]) -> Weights:
        d = cls()
        return cls(
            league_pct=int(p.get("league_support_weight_pct", d.league_pct)),
            appraisal_pct=int(p.get("appraisal_weight_pct", d.appraisal_pct)),
            penalty_per_upheld=int(p.get("appraisal_penalty_per_upheld", d.penalty_per_upheld)),
            area_normalisation=str(p.get("area_normalisation", d.area_normalisation)),
            tie_break=str(p.get("tie_break", d.tie_break)),
            pass_score=int(p.get("knowledge_pass_score", d.pass_score)),
        )


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    status: str
    adjusted: Decimal | None = None
    appraisal: Decimal | None = None
    final: Decimal | None = None
    exclusion: str = ""
    body_position: int | None = None
    city_position: int | None = None
    special_place: bool = False  # listed because it is a special recommendation

    @property
    def application_id(self) -> int:
        return self.candidate.application_id

    def inputs(self) -> dict[str, Any]:
        """What a frozen entry stores: the candidate plus the two derived scores."""
        return {
            **self.candidate.to_inputs(),
            "adjusted": _str(cents(self.adjusted)),
            "appraisal": _str(cents(self.appraisal)),
        }


@dataclass
class Ranking:
    rows: list[Ranked]  # city order; excluded last, by application id
    weights: Weights
    caps: dict[int, int]
    by_id: dict[int, Ranked] = field(init=False)
    _listed: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Counted once: a kept ranking is read by many requests.
        self.by_id = {r.application_id: r for r in self.rows}
        listed: dict[int, int] = defaultdict(int)
        for r in self.rows:
            if r.status == LISTED:
                listed[r.candidate.body_id] += 1
        self._listed = dict(listed)

    def listed_per_body(self) -> dict[int, int]:
        return dict(self._listed)

    @property
    def listed(self) -> int:
        return sum(self._listed.values())


# Scores --------------------------------------------------------------------------------------


def appraisal_score(c: Candidate, penalty_per_upheld: int) -> Decimal:
    # (avg − 1) ÷ 4 × 100, written as a product: exact, and cheap at 5,000 candidates.
    base = (
        NO_RATINGS_APPRAISAL if not c.ratings or c.rating_avg is None else (c.rating_avg - 1) * 25
    )
    score = base - penalty_per_upheld * c.upheld if c.upheld else base
    return score if score > 0 else Decimal(0)


def _mean_sd(values: list[Decimal]) -> tuple[Decimal, Decimal]:
    mean = sum(values, Decimal(0)) / len(values)
    var = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
    return mean, var.sqrt()


def adjusted_scores(candidates: list[Candidate], per_area: bool) -> dict[int, Decimal]:
    """Combined scores, or per area mapped onto the city's mean and spread (population
    standard deviation over the scored candidates; no area is a group of its own)."""
    scored = [c for c in candidates if c.combined is not None]
    if not per_area or not scored:
        return {c.application_id: c.combined for c in scored}  # type: ignore[misc]
    city_mean, city_sd = _mean_sd([c.combined for c in scored])  # type: ignore[misc]
    groups: dict[int | None, list[Candidate]] = defaultdict(list)
    for c in scored:
        groups[c.area_id].append(c)
    out: dict[int, Decimal] = {}
    for members in groups.values():
        mean, sd = _mean_sd([c.combined for c in members])  # type: ignore[misc]
        for c in members:
            x = c.combined
            assert x is not None
            # One member or no spread: a shift only (scaling would divide by zero).
            mapped = city_mean + (x - mean) / sd * city_sd if sd > 0 else x - mean + city_mean
            # Four places are plenty for a final score kept to two, and keep the sums cheap.
            out[c.application_id] = mapped.quantize(ADJUSTED_PLACES, rounding=ROUND_HALF_UP)
    return out


def final_score(
    adjusted: Decimal, league: Decimal | None, appraisal: Decimal, w: Weights
) -> Decimal:
    total = (
        adjusted * w.review_pct
        + (league or Decimal(0)) * w.league_pct
        + appraisal * w.appraisal_pct
    ).scaleb(-2)  # ÷ 100, exact
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def exclusion_of(c: Candidate) -> str:
    if c.combined is None:
        return Exclusion.NO_SCORE
    if c.test_passed is None:
        return ""  # no knowledge test in this round
    if c.test_passed:
        return ""
    return Exclusion.TEST_ABSENT if c.test_score is None else Exclusion.TEST_FAILED


# Order and cut ------------------------------------------------------------------------------


def _tie_value(c: Candidate, name: str) -> Decimal:
    value = {"test": c.test_score, "defence": c.defence, "site": c.site}[name]
    return Decimal("-1") if value is None else value  # absent sorts below any score


def _order_key(r: Ranked, tie_break: list[str]) -> tuple[Any, ...]:
    c = r.candidate
    assert r.final is not None
    return (
        -r.final,
        *(-_tie_value(c, name) for name in tie_break),
        c.body_rank if c.body_rank is not None else 10**9,
        c.application_id,
    )


def _cut(ordered: list[Ranked], caps: Mapping[int, int]) -> list[Ranked]:
    """Per body: special recommendations take places first (in rank order, inside the cap),
    then the others in rank order until the cap is full."""
    by_body: dict[int, list[Ranked]] = defaultdict(list)
    for r in ordered:
        by_body[r.candidate.body_id].append(r)
    listed: dict[int, bool] = {}  # application id -> listed as a special recommendation
    for body_id, rows in by_body.items():
        cap = max(0, int(caps.get(body_id, 0)))
        specials = [r for r in rows if r.candidate.special][:cap]
        listed.update({r.application_id: True for r in specials})
        rest = [r for r in rows if r.application_id not in listed]
        listed.update({r.application_id: False for r in rest[: cap - len(specials)]})
    positions: dict[int, int] = defaultdict(int)
    out = []
    for city_pos, r in enumerate(ordered, start=1):
        body_id = r.candidate.body_id
        positions[body_id] += 1
        is_listed = r.application_id in listed
        out.append(
            Ranked(
                r.candidate,
                LISTED if is_listed else RESERVE,
                r.adjusted,
                r.appraisal,
                r.final,
                body_position=positions[body_id],
                city_position=city_pos,
                special_place=listed.get(r.application_id, False),
            )
        )
    return out


def rank(candidates: Iterable[Candidate], weights: Weights, caps: Mapping[int, int]) -> Ranking:
    candidates = list(candidates)
    adjusted = adjusted_scores(candidates, weights.area_normalisation == "per_area")
    eligible: list[Ranked] = []
    excluded: list[Ranked] = []
    for c in candidates:
        appraisal = appraisal_score(c, weights.penalty_per_upheld)
        reason = exclusion_of(c)
        adj = adjusted.get(c.application_id)
        if reason:
            excluded.append(Ranked(c, EXCLUDED, adj, appraisal, exclusion=reason))
            continue
        assert adj is not None
        final = final_score(adj, c.league_support, appraisal, weights)
        eligible.append(Ranked(c, RESERVE, adj, appraisal, final))
    tie_break = weights.tie_break.split(",")
    ordered = sorted(eligible, key=lambda r: _order_key(r, tie_break))
    excluded.sort(key=lambda r: r.application_id)
    return Ranking(rows=[*_cut(ordered, caps), *excluded], weights=weights, caps=dict(caps))
