"""Nominations upward (推报): eligibility (held long enough by the deadline, no higher title,
not already nominated), nominating within the quota and its refusals (each changes nothing),
withdrawal, the province's outcome recording the provincial title, the exemption from the
city's re-review, and who is told."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import Nomination, NominationRound, NominationStatus
from qnwmh.awards.selectors.nomination import (
    eligible_titles,
    exempt_from_city_review,
    ineligibility,
    nominations_visible_to,
    years_after,
    years_before,
)
from qnwmh.awards.services import nomination as services
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import PermissionDenied
from qnwmh.notices.models import Notice
from qnwmh.programme.models import ProgrammeRules
from tests import factories as f

TODAY = timezone.localdate()


def _round(w: Any, **over: Any) -> NominationRound:
    values = {
        "year": TODAY.year,
        "name": over.pop("name", f"{TODAY.year}年度省级青年文明号推报"),
        "quota": 2,
        "deadline": TODAY + datetime.timedelta(days=30),
        "basis": "粤青联〔2026〕12号",
        **over,
    }
    return services.round_create(w.actor("city_admin"), values=values)


def _titled(w: Any, name: str, *, body: Any = None, **title: Any) -> Title:
    c = f.collective(body or w.body, name=name)
    return f.title(c, **title)


def _nominate(w: Any, r: NominationRound, title: Title, **kw: Any) -> Nomination:
    return services.nominate(
        w.actor("city_admin"), round=r, title=title, recommendation="服务群众成效突出。", **kw
    )


def _changes() -> tuple[int, int]:
    return Nomination.objects.count(), AuditEntry.objects.count()


# Eligibility ------------------------------------------------------------------------------------


def test_a_title_held_long_enough_is_eligible_and_one_held_too_briefly_is_not(world: Any) -> None:
    r = _round(world)
    recent = _titled(world, "新获称号集体", awarded_on=TODAY - datetime.timedelta(days=200))
    eligible = list(eligible_titles(r))
    assert world.title in eligible and recent not in eligible
    reason = ineligibility(r, recent)
    assert reason is not None and "持有不满 1 年" in reason
    assert years_after(recent.awarded_on, 1).isoformat() in reason


def test_years_come_from_the_rules_and_count_to_the_deadline(world: Any) -> None:
    ProgrammeRules.objects.update(nomination_min_title_years=5)
    r = _round(world)  # the world's title was awarded 2022-12-20
    assert world.title not in eligible_titles(r)
    before = _changes()
    with pytest.raises(DomainError, match="持有不满 5 年"):
        _nominate(world, r, world.title)
    assert _changes() == before


def test_the_day_the_years_are_complete_counts(world: Any) -> None:
    deadline = TODAY + datetime.timedelta(days=30)
    r = _round(world, deadline=deadline)
    exact = _titled(world, "恰满一年集体", awarded_on=years_before(deadline, 1))
    late = _titled(
        world, "差一天集体", awarded_on=years_before(deadline, 1) + datetime.timedelta(1)
    )
    assert ineligibility(r, exact) is None and ineligibility(r, late) is not None


def test_leap_days() -> None:
    assert years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)
    assert years_after(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 3, 1)


def test_a_collective_with_a_provincial_title_or_a_pending_nomination_is_not_eligible(
    world: Any,
) -> None:
    higher = _titled(world, "已获省级集体")
    f.title(higher.collective, level=Level.PROVINCIAL, year=2024)
    first = _round(world, name="第一批")
    second = _round(world, name="第二批")
    _nominate(world, first, world.title)
    assert ineligibility(second, higher) == "该集体已持有有效的省级或全国级称号，无需推报。"
    assert "“第一批”中的推报尚无结果" in str(ineligibility(second, world.title))
    assert "本批次推报名单" in str(ineligibility(first, world.title))
    assert not {higher, world.title} & set(eligible_titles(second))


def test_the_list_and_the_refusal_agree(world: Any) -> None:
    """eligible_titles (a query) and ineligibility (one title) are the same rule."""
    r = _round(world, quota=5)
    other = _round(world, name="另一批")
    titles = [
        world.title,
        _titled(world, "近期集体", awarded_on=TODAY - datetime.timedelta(days=10)),
        _titled(world, "省级集体"),
        _titled(world, "撤销集体", status=TitleStatus.REVOKED),
        _titled(world, "另批推报集体"),
        _titled(world, "区级集体", level=Level.DISTRICT),
    ]
    f.title(titles[2].collective, level=Level.NATIONAL, year=2023)
    _nominate(world, other, titles[4])
    archived = _titled(world, "归档集体")
    archived.collective.status = "archived"
    archived.collective.save()
    titles.append(archived)
    listed = set(eligible_titles(r))
    for t in titles:
        t.refresh_from_db()
        assert (t in listed) == (ineligibility(r, t) is None), t.collective.name
    assert listed & set(titles) == {world.title}


# Nominating -------------------------------------------------------------------------------------


def test_nominate_within_the_quota_then_refuse_over_it_and_twice(world: Any) -> None:
    r = _round(world, quota=2)
    n1 = _nominate(world, r, world.title)
    assert (n1.status, n1.position, n1.collective) == ("nominated", 1, world.collective)
    n2 = _nominate(world, r, _titled(world, "第二个集体"))
    assert n2.position == 2
    before = _changes()
    with pytest.raises(DomainError, match="推报名额已满（2 个）"):
        _nominate(world, r, _titled(world, "第三个集体"))
    with pytest.raises(DomainError, match="不能重复推报"):
        _nominate(world, r, world.title)
    assert _changes() == before
    entry = AuditEntry.objects.get(code="awards.nomination.nominated", object_id=str(n1.pk))
    assert entry.data["min_title_years"] == 1


def test_refusals_for_a_title_held_too_briefly_after_the_deadline_and_a_taken_position(
    world: Any,
) -> None:
    r = _round(world, quota=3)
    _nominate(world, r, world.title, position=2)
    before = _changes()
    recent = _titled(world, "新集体", awarded_on=TODAY - datetime.timedelta(days=30))
    with pytest.raises(DomainError, match="持有不满"):
        _nominate(world, r, recent)
    other = _titled(world, "又一集体")
    with pytest.raises(DomainError, match="第 2 位已有"):
        _nominate(world, r, other, position=2)
    with pytest.raises(DomainError, match="1 到 3 之间"):
        _nominate(world, r, other, position=4)
    with pytest.raises(DomainError, match="截止日期"):
        _nominate(world, r, other, today=r.deadline + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="推荐意见"):
        services.nominate(world.actor("city_admin"), round=r, title=other, recommendation="  ")
    assert _changes() == before
    assert _nominate(world, r, other).position == 1  # the first free place


def test_only_the_city_nominates(world: Any) -> None:
    r = _round(world)
    with pytest.raises(PermissionDenied):
        services.nominate(
            world.actor("body_admin"), round=r, title=world.title, recommendation="推荐"
        )
    with pytest.raises(PermissionDenied):
        services.round_create(world.actor("body_admin"), values={})


def test_round_checks(world: Any) -> None:
    with pytest.raises(DomainError, match="名额至少"):
        _round(world, quota=0)
    r = _round(world, quota=2)
    _nominate(world, r, world.title)
    _nominate(world, r, _titled(world, "第二个集体"))
    with pytest.raises(DomainError, match="名额不能少于 2 个"):
        services.round_update(world.actor("city_admin"), round=r, values={"quota": 1})
    r = services.round_update(world.actor("city_admin"), round=r, values={"quota": 3})
    assert r.quota == 3


# Withdrawing ------------------------------------------------------------------------------------


def test_withdrawal_frees_the_place_and_needs_a_reason(world: Any) -> None:
    r = _round(world, quota=1)
    n = _nominate(world, r, world.title)
    with pytest.raises(DomainError, match="撤回原因"):
        services.withdraw(world.actor("city_admin"), nomination=n, reason=" ")
    n = services.withdraw(world.actor("city_admin"), nomination=n, reason="集体发生有效投诉")
    assert n.status == NominationStatus.WITHDRAWN and n.outcome_note == "集体发生有效投诉"
    # The place is free again, and the same title may be nominated again.
    again = _nominate(world, r, world.title)
    assert again.position == 1
    with pytest.raises(DomainError, match="已撤回"):
        services.withdraw(world.actor("city_admin"), nomination=n, reason="再撤")


# Outcome ----------------------------------------------------------------------------------------


def test_granted_records_the_provincial_title_and_keeps_the_city_title(world: Any) -> None:
    r = _round(world, year=2026)
    n = _nominate(world, r, world.title)
    assert exempt_from_city_review([world.title.pk]) == {}
    n = services.record_outcome(
        world.actor("city_admin"),
        nomination=n,
        granted=True,
        outcome_on=TODAY,
        note="粤青联〔2026〕30号",
    )
    assert n.status == NominationStatus.GRANTED
    provincial = n.provincial_title
    assert provincial is not None
    assert (provincial.level, provincial.year, provincial.awarded_on) == ("provincial", 2026, TODAY)
    assert provincial.session_no == world.title.session_no
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.ACTIVE
    reason = exempt_from_city_review([world.title.pk])[world.title.pk]
    assert "省级" in reason and "免于市级复核" in reason
    assert AuditEntry.objects.filter(code="collectives.title.awarded").exists()
    with pytest.raises(DomainError, match="不能转为"):
        services.withdraw(world.actor("city_admin"), nomination=n, reason="晚了")


def test_not_granted_needs_a_reason_and_records_no_title(world: Any) -> None:
    r = _round(world)
    n = _nominate(world, r, world.title)
    before = Title.objects.count()
    with pytest.raises(DomainError, match="原因"):
        services.record_outcome(
            world.actor("city_admin"), nomination=n, granted=False, outcome_on=TODAY
        )
    with pytest.raises(DomainError, match="晚于今天"):
        services.record_outcome(
            world.actor("city_admin"),
            nomination=n,
            granted=True,
            outcome_on=TODAY + datetime.timedelta(days=1),
        )
    n = services.record_outcome(
        world.actor("city_admin"),
        nomination=n,
        granted=False,
        outcome_on=TODAY,
        note="省级名额有限，未入选",
    )
    assert n.status == NominationStatus.NOT_GRANTED and n.provincial_title is None
    assert Title.objects.count() == before
    assert exempt_from_city_review([world.title.pk]) == {}
    # Not granted, the collective may be nominated again in a later round.
    assert ineligibility(_round(world, name="下一批"), world.title) is None


def test_a_refused_grant_changes_nothing(world: Any) -> None:
    """A provincial title recorded meanwhile on the collective's page: the grant is refused
    by title_award and the nomination stays as it was."""
    r = _round(world)
    n = _nominate(world, r, world.title)
    f.title(world.collective, level=Level.PROVINCIAL, year=2025)
    with pytest.raises(DomainError, match="同级称号"):
        services.record_outcome(
            world.actor("city_admin"), nomination=n, granted=True, outcome_on=TODAY
        )
    n.refresh_from_db()
    assert n.status == NominationStatus.NOMINATED and n.provincial_title is None


# Exemption --------------------------------------------------------------------------------------


def test_exemption_follows_an_active_higher_title(
    world: Any, django_assert_num_queries: Any
) -> None:
    national = _titled(world, "全国级集体")
    f.title(national.collective, level=Level.NATIONAL, year=2021)
    f.title(national.collective, level=Level.PROVINCIAL, year=2019)
    ended = _titled(world, "省级已失效集体")
    f.title(ended.collective, level=Level.PROVINCIAL, year=2018, status=TitleStatus.EXPIRED)
    revoked_city = _titled(world, "市级已撤销集体", status=TitleStatus.REVOKED)
    f.title(revoked_city.collective, level=Level.PROVINCIAL, year=2020)
    ids = [world.title.pk, national.pk, ended.pk, revoked_city.pk]
    with django_assert_num_queries(2):
        out = exempt_from_city_review(ids)
    assert list(out) == [national.pk]
    assert "全国级" in out[national.pk] and "2021" in out[national.pk]
    with django_assert_num_queries(0):
        assert exempt_from_city_review([]) == {}


# Scope and notices ------------------------------------------------------------------------------


def test_a_body_sees_only_its_own_nominations(world: Any) -> None:
    r = _round(world)
    mine = _nominate(world, r, world.title)
    theirs = _nominate(world, r, _titled(world, "外单位集体", body=world.other_body))
    assert set(nominations_visible_to(world.actor("body_admin"))) == {mine}
    assert set(nominations_visible_to(world.actor("outsider"))) == {theirs}
    assert set(nominations_visible_to(world.actor("manager"))) == {mine}
    assert set(nominations_visible_to(world.actor("city_admin"))) == {mine, theirs}


def test_the_collective_and_its_body_are_told_after_commit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.users["manager"].email = "manager@example.org"
    world.users["manager"].save()
    r = _round(world)
    with django_capture_on_commit_callbacks(execute=True):
        n = _nominate(world, r, world.title)
    got = {
        x.recipient.username: x for x in Notice.objects.filter(code="awards.nomination.nominated")
    }
    assert set(got) == {"manager", "bodyadmin"}  # not the clerk who acted
    assert "已推报参加" in got["manager"].text
    assert got["manager"].link == f"/office/collectives/{world.collective.code}/"
    assert got["bodyadmin"].link.endswith(f"/n/{n.code}/")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.record_outcome(
            world.actor("city_admin"), nomination=n, granted=True, outcome_on=TODAY
        )
    granted = Notice.objects.filter(code="awards.nomination.granted")
    assert {x.recipient.username for x in granted} == {"manager", "bodyadmin"}
    assert "免于市级复核" in granted[0].text
