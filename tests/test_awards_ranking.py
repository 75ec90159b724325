"""Freezing a round's ranking into the shortlist, and league support: what the services read,
store and refuse; a frozen shortlist re-ranks from its own stored inputs to the same result."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import EntryStatus, LeagueSupport, Shortlist
from qnwmh.awards.ranking import Exclusion
from qnwmh.awards.services import league_support
from qnwmh.awards.services.ranking import current_ranking, freeze, ranking_of_shortlist
from qnwmh.certification.models import ApplicationResult, RoundStatus
from qnwmh.certification.testing import ensure_exam
from qnwmh.collectives.models import Level
from qnwmh.core.actor import Role, system_actor
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import PermissionDenied
from qnwmh.knowledge.models import Attempt
from qnwmh.notices.models import Notice
from qnwmh.programme.models import ProgrammeRules
from qnwmh.supervision.models import Rating
from tests import factories as f
from tests import factories_awards as fa

pytestmark = pytest.mark.django_db


def _city() -> Any:
    return f.actor(fa.city_user())


def _support(app: Any, score: int, by: Any = None) -> LeagueSupport:
    return league_support.save(by or _city(), app, score=Decimal(score), reason="团员活跃")


def test_freeze_stores_parameters_caps_and_every_entry() -> None:
    b1, b2 = f.body(), f.body()
    r, apps = fa.scored_round([b1, b2], per_body=5, quota=10)
    city = _city()
    for app in apps:
        _support(app, 80, city)
    shortlist = freeze(city, r, note="经研究确定")
    assert shortlist.parameters["league_support_weight_pct"] == 10
    assert shortlist.parameters["tie_break"] == "test,defence"
    assert shortlist.caps["bodies"][str(b1.id)] == {
        "quota": 10,
        "accepted": 5,
        "cap": 2,
        "cut": 2,
    }
    entries = list(shortlist.entries.order_by("city_position"))
    assert len(entries) == 10
    listed = [e for e in entries if e.status == EntryStatus.LISTED]
    assert {(e.body_id, e.body_position) for e in listed} == {
        (b, p) for b in (b1.id, b2.id) for p in (1, 2)
    }
    first = entries[0]
    # 90 × 80% + 80 × 10% + 60 (nobody rated) × 10%
    assert first.final_score == Decimal("86.00")
    assert first.inputs["league_support"] == "80.00" and first.inputs["appraisal"] == "60.00"
    event = AuditEntry.objects.get(code="awards.shortlist.frozen")
    assert event.data["counts"] == {"listed": 4, "reserve": 6}


def test_freeze_tells_the_bodies_with_listed_entries() -> None:
    b = f.body()
    admin = f.user(None, Role.BODY_ADMIN, organisation=b)
    r, _apps = fa.scored_round([b], per_body=2)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        freeze(_city(), r)
    assert Notice.objects.filter(recipient=admin, code="awards.shortlist.frozen").exists()


def test_freeze_refuses_a_round_not_closed_a_second_time_and_a_body_admin() -> None:
    b = f.body()
    r, _apps = fa.scored_round([b], per_body=2, status=RoundStatus.REVIEW)
    city = _city()
    with pytest.raises(DomainError, match="评分尚未截止"):
        freeze(city, r)
    r.status = RoundStatus.CLOSED
    r.save()
    body_admin = f.actor(f.user(None, Role.BODY_ADMIN, organisation=b))
    with pytest.raises(PermissionDenied):
        freeze(body_admin, r)
    freeze(city, r)
    with pytest.raises(DomainError, match="已经确定"):
        freeze(city, r)
    assert Shortlist.objects.filter(round=r).count() == 1


def test_freeze_checks_what_it_writes_against_the_caps(monkeypatch: Any) -> None:
    b = f.body()
    r, _apps = fa.scored_round([b], per_body=4)
    from qnwmh.awards.services import ranking as service

    # A broken ranking that lists everybody: the service refuses to store it.
    monkeypatch.setattr(service, "body_caps", lambda caps: {b.id: 99})
    with pytest.raises(DomainError, match="超过其上限"):
        freeze(_city(), r)
    assert not Shortlist.objects.filter(round=r).exists()


def test_the_test_gate_excludes_with_a_reason_when_the_round_has_a_test() -> None:
    b = f.body()
    r, apps = fa.scored_round([b], per_body=3)
    exam = ensure_exam(system_actor(), r)
    now = timezone.now()
    taker = f.user()
    for app, score in ((apps[0], 40), (apps[1], 90)):
        Attempt.objects.create(
            exam=exam,
            taker=taker,
            collective=app.collective,
            candidate_name="号长",
            seed=1,
            deadline=now,
            started_at=now - datetime.timedelta(minutes=20),
            submitted_at=now,
            status="submitted",
            score=score,
            passed=score >= exam.pass_score,
        )
    shortlist = freeze(_city(), r)
    by_app = {e.application_id: e for e in shortlist.entries.all()}
    assert by_app[apps[0].id].status == EntryStatus.EXCLUDED
    assert by_app[apps[0].id].exclusion_reason == Exclusion.TEST_FAILED
    assert by_app[apps[2].id].exclusion_reason == Exclusion.TEST_ABSENT
    assert by_app[apps[1].id].status == EntryStatus.LISTED
    assert Decimal(by_app[apps[1].id].inputs["test_score"]) == 90


def test_star_review_marks_a_collective_holding_an_earlier_city_title() -> None:
    b = f.body()
    r, apps = fa.scored_round([b], per_body=2)
    f.title(apps[0].collective, level=Level.CITY, session_no=r.cycle.session_no - 1)
    shortlist = freeze(_city(), r)
    flags = dict(shortlist.entries.values_list("application_id", "star_review"))
    assert flags == {apps[0].id: True, apps[1].id: False}


def test_public_appraisal_and_league_support_move_the_ranking() -> None:
    b = f.body()
    r, apps = fa.scored_round([b], per_body=4)
    # The second (85) gets full league support and five-star ratings; the first (90) none.
    _support(apps[1], 100)
    for day in range(3):
        Rating.objects.create(
            collective=apps[1].collective,
            stars=5,
            day=r.cycle.registration_opens_on + datetime.timedelta(days=day),
        )
    ranking = current_ranking(r)
    assert ranking.rows[0].application_id == apps[1].id
    assert ranking.rows[0].appraisal == 100


def test_league_support_by_the_body_audited_and_closed_once_frozen() -> None:
    b, other = f.body(), f.body()
    r, apps = fa.scored_round([b, other], per_body=2)
    admin = f.actor(f.user(None, Role.BODY_ADMIN, organisation=b))
    own, foreign = apps[0], apps[2]
    support = league_support.save(
        admin,
        own,
        score=Decimal(75),
        reason="团员 12 人，按月开展活动",
        figures={"league_members": 12, "league_activities": 10},
    )
    assert support.figures == {"league_members": 12, "league_activities": 10}
    league_support.save(admin, own, score=Decimal(80), reason="补充材料后调整")
    support.refresh_from_db()
    assert support.score == 80
    changed = AuditEntry.objects.get(code="awards.league_support.changed")
    assert Decimal(changed.before["score"]) == 75 and Decimal(changed.after["score"]) == 80
    with pytest.raises(PermissionDenied):
        league_support.save(admin, foreign, score=Decimal(50), reason="x")
    with pytest.raises(DomainError, match="0 至 100"):
        league_support.save(admin, own, score=Decimal(101), reason="x")
    with pytest.raises(DomainError, match="不小于 0 的整数"):
        league_support.save(
            admin, own, score=Decimal(1), reason="x", figures={"league_members": -1}
        )
    freeze(_city(), r)
    with pytest.raises(DomainError, match="不能再修改"):
        league_support.save(admin, own, score=Decimal(90), reason="再改")


scores = st.lists(st.integers(40, 100), min_size=1, max_size=6)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=scores,
    second=scores,
    support=st.lists(st.integers(0, 100), min_size=12, max_size=12),
    quota=st.integers(0, 4),
    per_area=st.booleans(),
)
def test_a_frozen_shortlist_re_ranks_from_its_own_inputs_to_the_same_result(
    first: list[int], second: list[int], support: list[int], quota: int, per_area: bool
) -> None:
    from django.db import transaction

    with transaction.atomic():
        b1, b2 = f.body(), f.body()
        r, apps = fa.scored_round([b1, b2], per_body=max(len(first), len(second)), quota=quota)
        r.cycle.rules_snapshot = {
            **ProgrammeRules.current().as_dict(),
            "area_normalisation": "per_area" if per_area else "none",
        }
        r.cycle.save()
        for app, score, s in zip(apps, first + second, support, strict=False):
            ApplicationResult.objects.filter(application=app).update(
                combined=score, defence_score=score - 1
            )
            _support(app, s)
        shortlist = freeze(_city(), r)
        again = ranking_of_shortlist(shortlist)
        stored = {
            e.application_id: (e.status, e.body_position, e.city_position, e.final_score)
            for e in shortlist.entries.all()
        }
        recomputed = {
            row.application_id: (row.status, row.body_position, row.city_position, row.final)
            for row in again.rows
        }
        assert stored == recomputed
        transaction.set_rollback(True)
