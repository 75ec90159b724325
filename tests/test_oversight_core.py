"""The sanctions ladder and the exit: one step at a time unless a grave category or a failed
review or rectification skips it; a revocation ends the title, bars the next registration and
is audited and notified; a passed re-review clears the standing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.oversight import ladder
from qnwmh.oversight.ladder import Standing
from qnwmh.oversight.models import (
    Basis,
    CaseStatus,
    Exit,
    ExitKind,
    Outcome,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
)
from qnwmh.oversight.selectors.standing import standing_of, standings
from qnwmh.oversight.services import exits, sanctions
from tests import factories as f
from tests import factories_oversight as fo
from tests.factories_awards import city_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return f.actor(city_user())


def test_ladder_next_steps_and_the_starless_shortcut():
    assert ladder.next_step(Standing.GOOD, 1) == SanctionKind.WARNING
    assert ladder.next_step(Standing.WARNED, 2) == SanctionKind.STAR_DOWN
    assert ladder.next_step(Standing.WARNED, 0) == SanctionKind.REVOCATION
    assert ladder.next_step(Standing.STARS_REDUCED, 1) == SanctionKind.REVOCATION
    assert ladder.next_step(Standing.REVOKED, 1) is None
    assert ladder.refusal(Standing.GOOD, 1, SanctionKind.STAR_DOWN) is not None
    assert ladder.refusal(Standing.GOOD, 1, SanctionKind.REVOCATION) is not None  # no category
    assert ladder.refusal(Standing.GOOD, 1, SanctionKind.REVOCATION, "ladder") is not None
    assert ladder.refusal(Standing.GOOD, 1, SanctionKind.REVOCATION, "law_discipline") is None
    assert ladder.refusal(Standing.GOOD, 1, SanctionKind.WARNING, "law_discipline") is not None


def test_warning_then_star_down_then_revocation(city, django_capture_on_commit_callbacks):
    t = fo.city_title(stars=2)
    manager = f.user(role="collective_manager", collective=t.collective)
    with django_capture_on_commit_callbacks(execute=True):
        sanctions.impose(city, title=t, kind="warning", basis=Basis.COMPLAINT, reason="投诉属实")
    assert Notice.objects.filter(code="oversight.sanction.imposed", recipient=manager).exists()
    assert standing_of(t).standing == Standing.WARNED
    with pytest.raises(DomainError, match="下一步应为“调整星级”"):
        sanctions.impose(city, title=t, kind="warning", basis=Basis.COMPLAINT, reason="再次")
    sanctions.impose(city, title=t, kind="star_down", basis=Basis.SPOT_CHECK, reason="抽检不合格")
    t.refresh_from_db()
    assert t.stars == 1 and standing_of(t).standing == Standing.STARS_REDUCED
    s = sanctions.impose(
        city,
        title=t,
        kind="revocation",
        basis=Basis.SPOT_CHECK,
        reason="仍不合格",
        category=RevocationCategory.LADDER,
    )
    t.refresh_from_db()
    assert t.status == TitleStatus.REVOKED and standing_of(t).standing == Standing.REVOKED
    e = Exit.objects.get(title=t)
    assert e.kind == ExitKind.REVOKED and e.sanction == s and e.reason == "仍不合格"
    # The title's end reason names the category (the registration bar quotes it).
    assert t.end_reason == "降星后仍不合格：仍不合格"
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"oversight.sanction.imposed", "oversight.exit.recorded"} <= codes


def test_revoking_needs_a_category_and_nothing_changes(city):
    t = fo.city_title()
    with pytest.raises(DomainError, match="撤销原因类别"):
        sanctions.impose(city, title=t, kind="revocation", basis=Basis.PRESS, reason="曝光")
    t.refresh_from_db()
    assert t.status == TitleStatus.ACTIVE and not Sanction.objects.exists()


def test_grave_category_revokes_at_once(city):
    t = fo.city_title()
    sanctions.impose(
        city,
        title=t,
        kind="revocation",
        basis=Basis.PRESS,
        reason="媒体曝光服务态度恶劣，经核查属实",
        category=RevocationCategory.PRESS_EXPOSURE,
        basis_note="中山日报 2026-10-01",
    )
    t.refresh_from_db()
    assert t.status == TitleStatus.REVOKED


def test_body_proposes_city_confirms_or_withdraws(city, django_capture_on_commit_callbacks):
    t = fo.city_title()
    body_admin = f.actor(f.user(role="body_admin", organisation=t.collective.body))
    with django_capture_on_commit_callbacks(execute=True):
        p = sanctions.propose(
            body_admin, title=t, kind="warning", basis=Basis.OTHER, reason="台帐不全"
        )
    assert p.status == SanctionStatus.PROPOSED
    assert Notice.objects.filter(code="oversight.sanction.proposed").exists()
    with pytest.raises(DomainError, match="待确认"):
        sanctions.propose(body_admin, title=t, kind="warning", basis=Basis.OTHER, reason="再提")
    with pytest.raises(PermissionDenied):
        sanctions.confirm(body_admin, p)
    sanctions.withdraw(city, p, note="已当场整改")
    assert standing_of(t).standing == Standing.GOOD
    p2 = sanctions.propose(body_admin, title=t, kind="warning", basis=Basis.OTHER, reason="台帐")
    sanctions.confirm(city, p2)
    assert standing_of(t).standing == Standing.WARNED


def test_passed_review_clears_the_standing_in_bulk():
    warned, clean, revoked = fo.city_title(), fo.city_title(), fo.city_title()
    s = fo.sanction(warned)
    revoked.status, revoked.ended_on = TitleStatus.REVOKED, timezone.localdate()
    revoked.save()
    got = standings([warned, clean, revoked])
    assert [got[t.id].standing for t in (warned, clean, revoked)] == [
        Standing.WARNED,
        Standing.GOOD,
        Standing.REVOKED,
    ]
    r = fo.review([warned])
    r.cases.update(status=CaseStatus.DECIDED, outcome=Outcome.PASS, decided_at=timezone.now())
    assert s.decided_at is not None
    assert standing_of(warned).standing == Standing.GOOD


def test_dissolution_ends_the_title_as_expired_without_a_bar(city):
    t = fo.city_title()
    e = exits.end_title(city, title=t, kind=ExitKind.DISSOLVED, reason="单位撤并")
    t.refresh_from_db()
    assert t.status == TitleStatus.EXPIRED and e.revoking is False
    with pytest.raises(DomainError, match="有效"):
        exits.end_title(city, title=t, kind=ExitKind.DISSOLVED, reason="再次")
    assert Exit.objects.count() == 1
