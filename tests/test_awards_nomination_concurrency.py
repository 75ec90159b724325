"""PostgreSQL: 20 parallel nominations into a round with a quota of 3 take exactly 3 places.
The control run replaces the round's lock with a plain read and shows the race it prevents."""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from qnwmh.awards.models import Nomination, NominationRound
from qnwmh.awards.services import nomination as services
from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from tests import factories as f

N, QUOTA = 20, 3


def _race() -> tuple[int, list[str]]:
    city = f.user(role=Role.CITY_ADMIN, organisation=f.city())
    actor = f.actor(city)
    body = f.body()
    r = NominationRound.objects.create(
        year=2026,
        name="省级推报",
        quota=QUOTA,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        created_by=city,
    )
    titles = [f.title(f.collective(body, members=0)) for _ in range(N)]
    barrier = threading.Barrier(N)
    outcomes: list[str] = []
    guard = threading.Lock()

    def nominate(title: Any) -> None:
        try:
            barrier.wait()
            services.nominate(actor, round=r, title=title, recommendation="推荐")
            result = "nominated"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            result = repr(exc)
        finally:
            connection.close()
        with guard:
            outcomes.append(result)

    threads = [threading.Thread(target=nominate, args=(t,)) for t in titles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return Nomination.objects.filter(round=r).count(), outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_nominations_respect_the_quota(monkeypatch: Any) -> None:
    real = services._lock_round

    def locked_then_wait(round_id: int) -> NominationRound:
        r = real(round_id)
        time.sleep(0.05)  # the same window as the control run, here inside the lock
        return r

    monkeypatch.setattr(services, "_lock_round", locked_then_wait)
    taken, outcomes = _race()
    assert taken == QUOTA
    assert sorted(set(outcomes)) == ["nominated", "quota_full"], outcomes
    assert len(outcomes) == N


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_overfills_the_quota(monkeypatch: Any) -> None:
    def unlocked(round_id: int) -> NominationRound:
        r = NominationRound.objects.get(pk=round_id)
        time.sleep(0.05)  # the window between reading and writing that the lock closes
        return r

    monkeypatch.setattr(services, "_lock_round", unlocked)
    taken, _outcomes = _race()
    assert taken > QUOTA
