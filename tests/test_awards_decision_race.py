"""PostgreSQL: fifty decisions on one shortlist at the same moment, each its own connection,
against a body cap of 10: exactly 10 titles. The control run without the shortlist's lock
shows the race the lock prevents (more than 10 titles)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from qnwmh.awards.models import Shortlist
from qnwmh.awards.services import decision as service
from qnwmh.collectives.models import Level, Title
from qnwmh.core.errors import DomainError
from tests import factories as f
from tests.decision_helpers import listed_ids, ready_shortlist

N = 50
CAP = 10


def _race() -> tuple[int, list[str]]:
    body = f.body()
    # 2:1 over 50 registrations would allow 25: the quota of 10 is the cap that binds.
    s = ready_shortlist([body], per_body=N, quota=CAP, listed=N)
    ids = listed_ids(s)
    assert len(ids) == N
    city = f.actor(s.frozen_by)
    barrier = threading.Barrier(N)
    refused: list[str] = []
    errors: list[str] = []

    def decide(i: int, entry_id: int) -> None:
        try:
            barrier.wait()
            service.decide(
                city,
                s,
                [entry_id],
                document_no=f"中青联〔2026〕{i + 1}号",
                decided_on=timezone.localdate(),
            )
        except DomainError as exc:
            refused.append(str(exc))
        except Exception as exc:  # pragma: no cover - shown in the assertion message
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(i, e)) for i, e in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    titles = Title.objects.filter(level=Level.CITY, collective__body=body).count()
    return titles, refused


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_decisions_create_exactly_the_cap(monkeypatch: Any) -> None:
    titles, refused = _race()
    assert titles == CAP
    assert len(refused) == N - CAP and all("认定名额上限为 10 个" in r for r in refused)

    # Control: without the lock each decision counts the places before the others commit.
    monkeypatch.setattr(service, "lock_shortlist", lambda pk: Shortlist.objects.get(pk=pk))
    check = service._check_caps

    def slow_check(*args: Any, **kw: Any) -> None:
        check(*args, **kw)
        time.sleep(0.05)  # widen the window between counting and writing

    monkeypatch.setattr(service, "_check_caps", slow_check)
    titles, _refused = _race()
    assert titles > CAP
