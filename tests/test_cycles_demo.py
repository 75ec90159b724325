"""The demo holds an open cycle in its registration phase with published quotas,
registrations in every state, a closed previous cycle and a town with no non-public collective."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from qnwmh.cycles.models import Cycle, Phase, RegistrationStatus
from qnwmh.cycles.selectors import town_view

pytestmark = pytest.mark.django_db


def test_demo_cycle(capsys: Any) -> None:
    call_command("load_demo")
    cycle = Cycle.objects.get(phase=Phase.REGISTRATION_OPEN)
    today = timezone.localdate()
    assert cycle.registration_opens_on <= today <= cycle.registration_closes_on
    assert cycle.quotas_published_at and cycle.rules_snapshot and cycle.quotas.exists()
    states = set(cycle.registrations.values_list("status", flat=True))
    assert states == set(RegistrationStatus.values)
    assert Cycle.objects.filter(phase=Phase.CLOSED, session_no=cycle.session_no - 1).exists()
    rows = town_view(cycle)
    assert any(not r.meets for r in rows) and any(r.meets for r in rows)
    assert any(r.change is not None and r.change < 0 for r in rows)
    for quota in cycle.quotas.all():
        used = cycle.registrations.filter(body=quota.body, status__in=["accepted", "filed"]).count()
        assert used <= quota.final
