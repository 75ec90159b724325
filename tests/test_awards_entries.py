"""The shared entry acts: removal frees a body's place, a reserve takes it only by a
deliberate move-up in rank order, never beyond the body's cap."""

from __future__ import annotations

import pytest
from django.db import transaction

from qnwmh.awards.caps import caps_for
from qnwmh.awards.models import EntryStatus, RemovalKind
from qnwmh.awards.services import entries
from qnwmh.core.actor import Role
from qnwmh.core.errors import DomainError
from tests import factories as f
from tests import factories_awards as fa

pytestmark = pytest.mark.django_db


def test_body_cap_is_the_smaller_of_quota_and_two_to_one() -> None:
    b1, b2 = f.body(), f.body()
    r, _apps = fa.scored_round([b1, b2], per_body=5, quota=1)
    caps = caps_for(r.cycle)
    assert caps.body_cap(b1.id) == 1  # quota 1 < floor(5 / 2)
    assert caps.city_cap == 5  # floor(10 / 2): a check only
    assert caps.sum_of_body_caps == 2


def test_move_up_only_after_a_removal_and_in_rank_order() -> None:
    b = f.body()
    r, _apps = fa.scored_round([b], per_body=6)
    s = fa.shortlist(r)
    city = f.actor(s.frozen_by)
    listed = list(s.entries.filter(status=EntryStatus.LISTED).order_by("body_position"))
    reserves = list(s.entries.filter(status=EntryStatus.RESERVE).order_by("body_position"))
    assert len(listed) == 3 and len(reserves) == 3
    with pytest.raises(DomainError, match="名额已满"):
        entries.move_up(city, reserves[0], reason="递补")
    with transaction.atomic():
        entries.remove(city, listed[0], kind=RemovalKind.INSPECTION, reason="考察未通过")
    with pytest.raises(DomainError, match="按排名递补"):
        entries.move_up(city, reserves[1], reason="递补")
    moved = entries.move_up(city, reserves[0], reason="考察未通过后递补")
    assert moved.status == EntryStatus.LISTED and moved.moved_up_by == s.frozen_by
    listed[0].refresh_from_db()
    assert listed[0].status == EntryStatus.REMOVED


def test_a_body_admin_cannot_move_up() -> None:
    b = f.body()
    r, _apps = fa.scored_round([b], per_body=4)
    s = fa.shortlist(r)
    reserve = s.entries.filter(status=EntryStatus.RESERVE).first()
    body_admin = f.actor(f.user(None, Role.BODY_ADMIN, organisation=b))
    with pytest.raises(Exception):  # noqa: B017 - the permission layer's own error
        entries.move_up(body_admin, reserve, reason="x")


def test_the_cycle_does_not_close_over_undecided_entries_unless_forced() -> None:
    from qnwmh.cycles.models import Phase
    from qnwmh.cycles.services import cycle_move

    r, _apps = fa.scored_round([f.body()], per_body=2)
    s = fa.shortlist(r)
    city = f.actor(s.frozen_by)
    with pytest.raises(DomainError, match="尚未作出认定决定"):
        cycle_move(city, cycle=r.cycle, to=Phase.CLOSED)
    r.cycle.refresh_from_db()
    assert r.cycle.phase == Phase.CERTIFICATION
    cycle_move(city, cycle=r.cycle, to=Phase.CLOSED, force=True, reason="余下名单转下一届处理")
    r.cycle.refresh_from_db()
    assert r.cycle.phase == Phase.CLOSED


def test_scoring_does_not_reopen_under_a_frozen_shortlist() -> None:
    from qnwmh.certification.models import RoundStatus
    from qnwmh.certification.services.round import round_move

    r, _apps = fa.scored_round([f.body()], per_body=2)
    city = f.actor(fa.city_user())
    # Before the freeze, scoring may reopen (with a reason) ...
    round_move(city, round=r, to=RoundStatus.REVIEW, reason="补录一份评分表")
    round_move(city, round=r, to=RoundStatus.CLOSED, force=True, reason="补录完毕")
    fa.shortlist(r)
    # ... after it, not.
    with pytest.raises(DomainError, match="不能重新开放评分"):
        round_move(city, round=r, to=RoundStatus.REVIEW, reason="再改一次")
    r.refresh_from_db()
    assert r.status == RoundStatus.CLOSED
