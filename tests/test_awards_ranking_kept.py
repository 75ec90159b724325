"""The kept ranking (``services.ranking_cache``): the pages re-rank nothing while the round's
data is unchanged, and show any change to results, league support, the applications or the
knowledge test on the next request; ratings and complaints within ``APPRAISAL_TTL``; freezing
never reads the kept ranking."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.services import league_support, ranking_cache
from qnwmh.awards.services.ranking import freeze, weights_of
from qnwmh.certification.models import ApplicationResult, ApplicationStatus
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.knowledge.models import Attempt
from qnwmh.supervision.models import Rating
from tests import factories as f
from tests import factories_awards as fa
from tests import factories_certification as fcert
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


def _round(world: Any) -> tuple[Any, list[Any]]:
    # Per body: 90, 85 listed (cap 2), 80, 75 reserve.
    return fa.scored_round([world.body, world.other_body], per_body=4)


def _page(world: Any, r: Any, **params: Any) -> str:
    client = world.client("city_admin")
    url = reverse("awards:ranking", args=[r.code])
    return client.get(url, {"body": world.body.id, **params}).content.decode()


def _above_cut(page: str, name: str) -> bool:
    return page.index(name) < page.index('data-testid="cut-line"')


def _status(world: Any, r: Any, app: Any) -> str:
    ranking, _read_at = ranking_cache.live_ranking(r, weights_of(r.cycle))
    return ranking.by_id[app.id].status


def test_a_kept_ranking_costs_constant_queries_and_fewer_than_reading(world: Any) -> None:
    r, _apps = _round(world)
    client = world.client("city_admin")
    url = reverse("awards:ranking", args=[r.code])
    client.get(url)
    kept_small = count_queries(lambda: client.get(url))
    for body in (world.body, world.other_body):
        for _ in range(3):
            app = fcert.application(r, f.collective(body), status=ApplicationStatus.RECOMMENDED)
            ApplicationResult.objects.create(application=app, combined=70)
    cold = count_queries(lambda: client.get(url))
    kept_large = count_queries(lambda: client.get(url))
    assert kept_small == kept_large
    assert kept_large < cold  # the second request read nothing but the version


def test_a_new_result_shows_on_the_next_request(world: Any) -> None:
    r, apps = _round(world)
    assert not _above_cut(_page(world, r), apps[2].collective.name)
    result = ApplicationResult.objects.get(application=apps[2])
    result.combined = Decimal(99)
    result.computed_at = timezone.now()
    result.save()
    assert _above_cut(_page(world, r), apps[2].collective.name)


def test_a_result_changed_without_its_time_still_shows(world: Any) -> None:
    r, apps = _round(world)
    _page(world, r)
    ApplicationResult.objects.filter(application=apps[3]).update(combined=Decimal(98))
    assert _above_cut(_page(world, r), apps[3].collective.name)


def test_league_support_entered_or_changed_shows_on_the_next_request(world: Any) -> None:
    r, apps = _round(world)
    city = world.actor("city_admin")
    what_if = reverse("awards:what_if", args=[r.code])
    client = world.client("city_admin")
    assert _status(world, r, apps[2]) == "reserve"
    assert 'data-testid="moved-in"' not in client.get(what_if, {"league_pct": 0}).content.decode()
    # 80 × 80 % + 100 × 10 % + 60 × 10 % = 80 beats 85 × 80 % + 0 + 6 = 74.
    league_support.save(city, apps[2], score=Decimal(100), reason="团建突出")
    assert _status(world, r, apps[2]) == "listed"
    page = client.get(what_if, {"league_pct": 0}).content.decode()
    assert 'data-testid="moved-out"' in page  # without league support it would drop again
    league_support.save(city, apps[2], score=Decimal(0), reason="复核后调整")
    assert _status(world, r, apps[2]) == "reserve"


def test_an_application_leaving_the_round_leaves_the_ranking(world: Any) -> None:
    r, apps = _round(world)
    assert apps[0].collective.name in _page(world, r)
    apps[0].status = ApplicationStatus.WITHDRAWN
    apps[0].save()
    assert apps[0].collective.name not in _page(world, r)


def test_a_test_attempt_shows_on_the_next_request(world: Any) -> None:
    r, apps = _round(world)
    exam = ensure_exam(system_actor(), r)
    r.refresh_from_db()
    assert _status(world, r, apps[0]) == "excluded"  # absent from the test
    now = timezone.now()
    Attempt.objects.create(
        exam=exam,
        taker=f.user(),
        collective=apps[0].collective,
        candidate_name="号长",
        seed=1,
        deadline=now,
        submitted_at=now,
        status="submitted",
        score=95,
        passed=True,
    )
    assert _status(world, r, apps[0]) == "listed"


def test_ratings_show_within_the_stated_time_and_freezing_reads_them_at_once(
    world: Any, monkeypatch: Any
) -> None:
    r, apps = _round(world)
    page = _page(world, r)
    assert 'data-testid="appraisal-age"' in page and "每 5 分钟更新" in page
    for day in range(3):
        Rating.objects.create(
            collective=apps[0].collective,
            stars=1,
            device=f"d{day}",
            day=r.cycle.registration_opens_on + datetime.timedelta(days=day),
        )
    before, _read_at = ranking_cache.live_ranking(r, weights_of(r.cycle))
    assert before.by_id[apps[0].id].appraisal == 60  # the kept figures: no ratings yet
    later = ranking_cache.time.time() + ranking_cache.APPRAISAL_TTL + 1
    monkeypatch.setattr(ranking_cache.time, "time", lambda: later)
    after, _read_at = ranking_cache.live_ranking(r, weights_of(r.cycle))
    assert after.by_id[apps[0].id].appraisal == 0
    monkeypatch.undo()
    # Freezing reads afresh whatever is kept.
    ranking_cache.clear()
    cache.clear()
    ranking_cache.live_ranking(r, weights_of(r.cycle))
    Rating.objects.create(
        collective=apps[1].collective,
        stars=1,
        device="fresh",
        day=r.cycle.registration_opens_on,
    )
    shortlist = freeze(f.actor(fa.city_user()), r)
    entry = shortlist.entries.get(application=apps[1])
    assert entry.inputs["ratings"] == 1 and entry.inputs["appraisal"] == "0.00"


def test_another_process_reads_the_kept_candidates_from_the_cache(world: Any) -> None:
    r, _apps = _round(world)
    weights = weights_of(r.cycle)
    cold = count_queries(lambda: ranking_cache.live_ranking(r, weights))
    ranking_cache.clear()  # this process forgets; Django's cache still holds the source
    from_cache = count_queries(lambda: ranking_cache.live_ranking(r, weights))
    assert from_cache < cold
