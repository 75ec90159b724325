"""PostgreSQL: 50 parallel acceptances against a quota of 10 accept exactly 10. The control
run replaces the quota lock with a plain read and shows the race the lock prevents."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from qnwmh.cycles import services
from qnwmh.cycles.models import Quota, Registration, RegistrationStatus
from qnwmh.cycles.services import registrations as registration_services
from tests import factories as f
from tests import factories_cycles as fc

N, QUOTA = 50, 10


def _race() -> tuple[int, list[str]]:
    body = f.body()
    admin = f.actor(f.user(role=Role.BODY_ADMIN, organisation=body))
    cycle = fc.cycle()
    fc.quota(cycle, body, QUOTA)
    regs = [fc.registration(cycle, f.collective(body, members=0)) for _ in range(N)]
    barrier = threading.Barrier(N)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(reg: Registration) -> None:
        try:
            barrier.wait()
            services.registration_accept(admin, registration=reg)
            result = "accepted"
        except DomainError as exc:
            result = exc.code
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(r,)) for r in regs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    accepted = Registration.objects.filter(cycle=cycle, status=RegistrationStatus.ACCEPTED).count()
    return accepted, outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_acceptances_respect_a_quota_of_ten(monkeypatch: Any) -> None:
    real = services._lock_quota

    def locked_then_wait(cycle_id: int, body_id: int) -> Quota:
        quota = real(cycle_id, body_id)
        time.sleep(0.05)  # the same window as the control run, here inside the lock
        return quota

    monkeypatch.setattr(registration_services, "_lock_quota", locked_then_wait)
    accepted, outcomes = _race()
    assert accepted == QUOTA
    assert sorted(set(outcomes)) == ["accepted", "quota_full"], outcomes
    assert outcomes.count("accepted") == QUOTA and len(outcomes) == N


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_overfills_the_quota(monkeypatch: Any) -> None:
    def unlocked(cycle_id: int, body_id: int) -> Quota:
        quota = Quota.objects.get(cycle_id=cycle_id, body_id=body_id)
        time.sleep(0.05)  # the window between reading and writing that the lock closes
        return quota

    monkeypatch.setattr(registration_services, "_lock_quota", unlocked)
    accepted, _outcomes = _race()
    print(f"control run without the lock: {accepted} accepted against a quota of {QUOTA}")
    assert accepted > QUOTA
