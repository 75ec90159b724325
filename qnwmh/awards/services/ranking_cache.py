"""The live ranking of a round, kept between requests so the ranking and what-if pages do not
re-read and re-rank 5,000 applications each time.

What is kept, and for how long:

- the round's **candidates** (``Source``), in Django's cache under a key made of a cheap
  **version** of what they are read from: the round's applications (count, last change, their
  review areas and body order), their aggregated results (count, last ``computed_at``), league
  support (count, last ``updated_at``) and knowledge-test attempts (count, graded, passed,
  scores). Any change to those gives a new key, so the page never shows a ranking older than
  a result or a league-support score;
- the **public appraisal** figures (ratings and complaints) inside them are the exception:
  they have no cheap exact version (ratings arrive all day from the public, complaints change
  status in another app), so a kept source lives ``APPRAISAL_TTL`` seconds at most and the
  pages say when its figures were read. Freezing never uses this: it re-reads everything;
- the **ranked result** of a set of weights and caps, per process (a small LRU), so paging
  through the ranking or a what-if re-ranks nothing.

A process-local copy of the source avoids unpickling it from the cache on every request.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from qnwmh.awards.caps import Caps, caps_for
from qnwmh.awards.ranking import Ranking, Weights, rank
from qnwmh.awards.services.ranking import Source, appraisal_window, body_caps, source_of
from qnwmh.certification.models import Application, CertificationRound
from qnwmh.knowledge.models import Attempt

APPRAISAL_TTL = 300  # seconds: how old the ratings and complaints behind a ranking may be
_MEMO_SIZE = 8  # sources and rankings kept per process (a few rounds × a few weight sets)


@dataclass(frozen=True)
class KeptSource:
    source: Source
    read_at: datetime.datetime  # when the appraisal figures (and the rest) were read
    expires: float  # time.time() after which it is read again


_sources: OrderedDict[str, KeptSource] = OrderedDict()
_rankings: OrderedDict[tuple[Any, ...], Ranking] = OrderedDict()


def clear() -> None:
    """Forget every kept ranking (tests; the version keys make it unnecessary otherwise)."""
    _sources.clear()
    _rankings.clear()


def inputs_version(r: CertificationRound) -> str:
    """One or two aggregate queries over the round's own rows; changes whenever a result,
    league support, an application's area/order/status or a test attempt changes."""
    figures = Application.objects.filter(round=r).aggregate(
        apps=Count("id"),
        changed=Max("updated_at"),
        # Areas are reassigned with a bulk update that leaves updated_at alone.
        areas=Sum("area_id"),
        orders=Sum("body_rank"),
        results=Count("result"),
        computed=Max("result__computed_at"),
        combined=Sum("result__combined"),
        league=Count("league_support"),
        league_changed=Max("league_support__updated_at"),
    )
    parts: list[Any] = [r.pk, *figures.values(), *appraisal_window(r.cycle)]
    if r.exam_id is not None:
        parts += (
            Attempt.objects.filter(exam_id=r.exam_id)
            .aggregate(
                n=Count("id"),
                graded=Count("id", filter=Q(score__isnull=False)),
                passed=Count("id", filter=Q(passed=True)),
                scores=Sum("score"),
                last=Max("submitted_at"),
            )
            .values()
        )
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _remember(store: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    store[key] = value
    store.move_to_end(key)
    while len(store) > _MEMO_SIZE:
        store.popitem(last=False)


def kept_source(r: CertificationRound) -> tuple[str, KeptSource]:
    """The round's candidates under their current version: from this process, from the
    cache, or read afresh (and kept)."""
    key = f"awards:ranking-source:{r.pk}:{inputs_version(r)}"
    kept = _sources.get(key)
    if kept is not None and kept.expires > time.time():
        return key, kept
    kept = cache.get(key)
    if kept is None or kept.expires <= time.time():
        kept = KeptSource(source_of(r), timezone.now(), time.time() + APPRAISAL_TTL)
        cache.set(key, kept, APPRAISAL_TTL)
    _remember(_sources, key, kept)
    return key, kept


def live_rankings(
    r: CertificationRound, weights: list[Weights], caps: Caps | None = None
) -> tuple[list[Ranking], datetime.datetime]:
    """The round's ranking under each of ``weights`` from the kept candidates, and when
    their appraisal figures were read. The ranked result is kept per process for the same
    candidates, weights and caps (a ``Ranking`` is read-only to its callers)."""
    capped = body_caps(caps or caps_for(r.cycle))
    if not getattr(settings, "AWARDS_KEEP_RANKINGS", True):
        # Read afresh every time (what a test measuring the reading cost wants).
        source = source_of(r)
        return [rank(source.candidates, w, capped) for w in weights], timezone.now()
    key, kept = kept_source(r)
    out = []
    for w in weights:
        memo_key = (key, kept.read_at, w, tuple(sorted(capped.items())))
        ranking = _rankings.get(memo_key)
        if ranking is None:
            ranking = rank(kept.source.candidates, w, capped)
        _remember(_rankings, memo_key, ranking)
        out.append(ranking)
    return out, kept.read_at


def live_ranking(
    r: CertificationRound, weights: Weights, caps: Caps | None = None
) -> tuple[Ranking, datetime.datetime]:
    (ranking,), read_at = live_rankings(r, [weights], caps)
    return ranking, read_at
