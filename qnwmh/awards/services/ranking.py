"""The live ranking of a round and its freezing into the shortlist (拟认定名单).

``candidates_of(round)`` reads everything the pure ranking (``awards.ranking``) needs in a
fixed number of queries: the recommended applications with their aggregated scores, the
knowledge test results, the cycle's public appraisal and the bodies' league-support scores.
``freeze`` stores the ranking once per closed round, with the weights and caps it used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.awards.caps import Caps, caps_for
from qnwmh.awards.models import Shortlist, ShortlistEntry
from qnwmh.awards.ranking import LISTED, Candidate, Ranking, Weights, rank
from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.cycles.models import Cycle
from qnwmh.cycles.notices import cycle_msg
from qnwmh.knowledge.selectors import results_for
from qnwmh.notices.services import body_admins, notify
from qnwmh.supervision.selectors import public_appraisal

_APP_FIELDS = (
    "id",
    "collective_id",
    "body_id",
    "town_id",
    "area_id",
    "special_recommendation",
    "body_rank",
    "result__combined",
    "result__site_score",
    "result__defence_score",
)


def weights_of(cycle: Cycle, **override: Any) -> Weights:
    """The cycle's frozen rules, with what-if values in place of some."""
    values: dict[str, Any] = {
        "league_pct": int(cycle.rule("league_support_weight_pct", 10)),
        "appraisal_pct": int(cycle.rule("appraisal_weight_pct", 10)),
        "penalty_per_upheld": int(cycle.rule("appraisal_penalty_per_upheld", 10)),
        "area_normalisation": str(cycle.rule("area_normalisation", "none")),
        "tie_break": str(cycle.rule("tie_break", "test,defence")),
        "pass_score": int(cycle.rule("knowledge_pass_score", 60)),
    }
    values.update({k: v for k, v in override.items() if v is not None})
    return Weights(**values)


def appraisal_window(cycle: Cycle) -> tuple[Any, Any]:
    """The cycle's creation period up to today (or its certification end, if earlier)."""
    return cycle.registration_opens_on, min(timezone.localdate(), cycle.certification_ends_on)


@dataclass(frozen=True)
class Source:
    """What the ranking of a round reads, plus the columns an entry copies."""

    candidates: list[Candidate]
    apps: dict[int, dict[str, Any]]  # application id -> the _APP_FIELDS row


def source_of(r: CertificationRound) -> Source:
    """Five queries whatever the number of applications (one more with a knowledge test)."""
    rows = list(
        Application.objects.filter(round=r, status=ApplicationStatus.RECOMMENDED)
        .order_by("id")
        .values(*_APP_FIELDS)
    )
    collective_ids = [row["collective_id"] for row in rows]
    tests = results_for(r.exam, collective_ids) if r.exam is not None else {}
    appraisal = public_appraisal(collective_ids, *appraisal_window(r.cycle))
    league = dict(
        Application.objects.filter(round=r, league_support__isnull=False).values_list(
            "id", "league_support__score"
        )
    )
    candidates = []
    for row in rows:
        cid = row["collective_id"]
        test = tests.get(cid)
        figures = appraisal[cid]
        avg = figures["rating_avg"]
        candidates.append(
            Candidate(
                application_id=row["id"],
                body_id=row["body_id"],
                area_id=row["area_id"],
                combined=row["result__combined"],
                site=row["result__site_score"],
                defence=row["result__defence_score"],
                test_score=test.best_score if test else None,
                test_passed=test.passed if test else None,
                league_support=league.get(row["id"]),
                ratings=figures["ratings"],
                rating_avg=None if avg is None else Decimal(str(avg)),
                upheld=figures["upheld"],
                special=row["special_recommendation"],
                body_rank=row["body_rank"],
            )
        )
    return Source(candidates, {row["id"]: row for row in rows})


def body_caps(caps: Caps) -> dict[int, int]:
    return {body_id: caps.body_cap(body_id) for body_id in caps.bodies}


def current_ranking(
    r: CertificationRound, weights: Weights | None = None, caps: Caps | None = None
) -> Ranking:
    """The round's ranking now, under the cycle's rules or the given what-if weights (and
    the caps, when the caller has read them already)."""
    source = source_of(r)
    caps = caps or caps_for(r.cycle)
    return rank(source.candidates, weights or weights_of(r.cycle), body_caps(caps))


def ranking_of_shortlist(shortlist: Shortlist) -> Ranking:
    """The ranking recomputed from what the shortlist stored (no other table read): equal
    to the stored positions and statuses, which the purity test checks."""
    entries = shortlist.entries.only("application_id", "inputs")
    candidates = [Candidate.from_inputs(e.application_id, e.inputs) for e in entries]
    caps = {int(k): int(v["cap"]) for k, v in shortlist.caps.get("bodies", {}).items()}
    return rank(candidates, Weights.from_parameters(shortlist.parameters), caps)


# Freezing -------------------------------------------------------------------------------------


def _star_review_collectives(cycle: Cycle, collective_ids: list[int]) -> set[int]:
    """Collectives holding an active city title from an earlier cycle: their decision adds
    a star instead of a new title."""
    return set(
        Title.objects.filter(
            collective_id__in=collective_ids,
            level=Level.CITY,
            status=TitleStatus.ACTIVE,
            session_no__lt=cycle.session_no,
        ).values_list("collective_id", flat=True)
    )


def _check_cut(ranking: Ranking, caps: Caps) -> None:
    """The service checks what it writes, whatever ``rank`` promises."""
    for body_id, n in ranking.listed_per_body().items():
        if n > caps.body_cap(body_id):
            raise DomainError(
                _("名单中某组织管理机构的拟认定数 %(n)s 超过其上限 %(cap)s，不能确定名单。")
                % {"n": n, "cap": caps.body_cap(body_id)}
            )
    if ranking.listed > caps.city_cap:
        raise DomainError(
            _("拟认定总数 %(n)s 超过全市比例上限 %(cap)s，不能确定名单。")
            % {"n": ranking.listed, "cap": caps.city_cap}
        )


def _caps_json(caps: Caps, ranking: Ranking) -> dict[str, Any]:
    out = caps.as_json()
    cut = ranking.listed_per_body()
    for body_id, row in out["bodies"].items():
        row["cut"] = cut.get(int(body_id), 0)
    out["city"]["cut"] = ranking.listed
    return out


def _entries(shortlist: Shortlist, ranking: Ranking, source: Source) -> list[ShortlistEntry]:
    stars = _star_review_collectives(
        shortlist.round.cycle, [a["collective_id"] for a in source.apps.values()]
    )
    out = []
    for r in ranking.rows:
        app = source.apps[r.application_id]
        out.append(
            ShortlistEntry(
                shortlist=shortlist,
                application_id=r.application_id,
                collective_id=app["collective_id"],
                body_id=app["body_id"],
                town_id=app["town_id"],
                status=r.status,
                final_score=r.final,
                body_position=r.body_position,
                city_position=r.city_position,
                inputs=r.inputs(),
                special_recommendation=r.candidate.special,
                star_review=app["collective_id"] in stars,
                exclusion_reason=r.exclusion,
            )
        )
    return out


@transaction.atomic
def freeze(actor: Actor, r: CertificationRound, *, note: str = "") -> Shortlist:
    """Freeze the round's ranking under the cycle's rules: one audited act, once per round,
    only after scoring has closed."""
    require(actor, "awards.freeze", r)
    check_text(note, field="note")
    r = lock(CertificationRound, r.pk)
    if r.status != RoundStatus.CLOSED:
        raise DomainError(_("评分尚未截止，不能确定拟认定名单。"))
    if Shortlist.objects.filter(round=r).exists():
        raise DomainError(_("本轮拟认定名单已经确定，不能再次确定。"))
    source = source_of(r)
    if not source.candidates:
        raise DomainError(_("本轮没有已推荐的申报，不能确定拟认定名单。"))
    caps = caps_for(r.cycle)
    weights = weights_of(r.cycle)
    ranking = rank(source.candidates, weights, body_caps(caps))
    _check_cut(ranking, caps)
    shortlist = Shortlist.objects.create(
        round=r,
        parameters={**weights.as_parameters(), "ratio": caps.ratio},
        caps=_caps_json(caps, ranking),
        note=note,
        frozen_by=actor.user,  # type: ignore[misc]  # require() has refused anonymous
    )
    ShortlistEntry.objects.bulk_create(_entries(shortlist, ranking, source), batch_size=1000)
    counts = Counter(row.status for row in ranking.rows)
    log_action(
        actor,
        shortlist,
        "awards.shortlist.frozen",
        after={"round": r.code, **shortlist.parameters},
        data={"counts": dict(counts), "caps": shortlist.caps, "note": note},
    )
    bodies = sorted({row.candidate.body_id for row in ranking.rows if row.status == LISTED})
    transaction.on_commit(lambda: _announce(shortlist, bodies))
    return shortlist


def _announce(shortlist: Shortlist, bodies: list[int]) -> None:
    link = reverse("awards:shortlist", args=[shortlist.code])
    recipients = {u.pk: u for body_id in bodies for u in body_admins(body_id)}
    notify(
        recipients.values(),
        link=link,
        code="awards.shortlist.frozen",
        params={"cycle": cycle_msg(shortlist.round.cycle)},
    )
