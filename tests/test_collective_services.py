"""Collective, roster and title services: happy paths, guards, refusals and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives import services
from qnwmh.collectives.models import Collective, Eligibility, Level, Member, TitleStatus
from qnwmh.core.errors import DomainError
from tests import factories as f


def values(world, **extra):
    base = {
        "name": "新集体",
        "work_unit": "某单位",
        "body": world.body,
        "town": world.town,
        "ownership": "non_public",
    }
    base.update(extra)
    return base


def test_body_admin_creates_a_collective_in_its_body_and_it_is_audited(world):
    c = services.collective_create(world.actor("body_admin"), values=values(world))
    assert c.body == world.body and c.is_non_public
    entry = AuditEntry.objects.get(code="collectives.collective.created")
    assert entry.actor == world.users["body_admin"] and entry.after["name"] == "新集体"


def test_outsider_cannot_create_in_another_body(world):
    with pytest.raises(DomainError):
        services.collective_create(world.actor("outsider"), values=values(world))
    assert not Collective.objects.filter(name="新集体").exists()


def test_manager_cannot_create(world):
    with pytest.raises(DomainError):
        services.collective_create(world.actor("manager"), values=values(world))


def test_duplicate_name_in_the_same_body_is_refused_in_chinese(world):
    with pytest.raises(DomainError, match="同名集体"):
        services.collective_create(
            world.actor("body_admin"), values=values(world, name=world.collective.name)
        )


def test_town_must_match_a_territorial_body(world):
    with pytest.raises(DomainError, match="本镇区"):
        services.collective_create(
            world.actor("body_admin"), values=values(world, town=world.other_town)
        )


def test_manager_edits_profile_but_not_governed_fields(world):
    actor = world.actor("manager")
    services.collective_update(actor, collective=world.collective, values={"pledges": "微笑服务"})
    world.collective.refresh_from_db()
    assert world.collective.pledges == "微笑服务"
    with pytest.raises(DomainError, match="无权修改"):
        services.collective_update(
            actor, collective=world.collective, values={"ownership": "other"}
        )
    world.collective.refresh_from_db()
    assert world.collective.ownership != "other"


def test_update_audits_before_and_after_of_changed_fields_only(world):
    services.collective_update(
        world.actor("body_admin"),
        collective=world.collective,
        values={"address": "孙文中路 1 号", "pledges": world.collective.pledges},
    )
    entry = AuditEntry.objects.get(code="collectives.collective.updated")
    assert entry.before == {"address": ""} and entry.after == {"address": "孙文中路 1 号"}


def test_outsider_cannot_update(world):
    with pytest.raises(PermissionDenied):
        services.collective_update(
            world.actor("outsider"), collective=world.collective, values={"address": "x"}
        )


def test_archive_needs_a_reason_and_happens_once(world):
    actor = world.actor("body_admin")
    with pytest.raises(DomainError):
        services.collective_archive(actor, collective=world.collective, reason=" ")
    services.collective_archive(actor, collective=world.collective, reason="机构撤并")
    with pytest.raises(DomainError):
        services.collective_archive(actor, collective=world.collective, reason="again")
    assert Collective.objects.filter(pk=world.collective.pk).exists()  # never deleted


def test_adding_members_recomputes_eligibility(world):
    small = f.collective(world.body, members=5)
    assert small.eligibility == Eligibility.NOT_MET
    services.member_add(
        world.actor("body_admin"),
        collective=small,
        values={"name": "新成员", "birth_date": f.years_ago(25), "nationality": "CN"},
    )
    small.refresh_from_db()
    assert small.member_count == 6 and small.eligibility == Eligibility.NEAR


def test_a_member_under_sixteen_or_born_tomorrow_is_refused(world):
    actor = world.actor("manager")
    for birth in (
        f.years_ago(15),
        datetime.date.today() + datetime.timedelta(days=1),
        datetime.date(1850, 1, 1),
    ):
        with pytest.raises(DomainError):
            services.member_add(
                actor, collective=world.collective, values={"name": "小明", "birth_date": birth}
            )
    assert not Member.objects.filter(name="小明").exists()


def test_naming_a_new_leader_demotes_the_old_one(world):
    services.member_add(
        world.actor("manager"),
        collective=world.collective,
        values={"name": "新号长", "birth_date": f.years_ago(30), "is_leader": True},
    )
    leaders = list(
        world.collective.members.current().filter(is_leader=True).values_list("name", flat=True)
    )
    assert leaders == ["新号长"]


def test_removing_a_member_keeps_the_row(world):
    services.member_remove(world.actor("manager"), member=world.member)
    world.member.refresh_from_db()
    assert world.member.left_on is not None
    assert world.member not in world.collective.members.current()
    with pytest.raises(DomainError):
        services.member_remove(world.actor("manager"), member=world.member)


def test_outsider_cannot_touch_the_roster(world):
    with pytest.raises(PermissionDenied):
        services.member_add(
            world.actor("outsider"),
            collective=world.collective,
            values={"name": "x", "birth_date": f.years_ago(25)},
        )


def test_only_the_city_awards_titles_and_one_active_per_level(world):
    kwargs = {
        "collective": world.other_collective,
        "level": Level.CITY,
        "session_no": 22,
        "year": 2024,
        "awarded_on": datetime.date(2024, 12, 1),
    }
    with pytest.raises(PermissionDenied):
        services.title_award(world.actor("outsider"), **kwargs)
    title = services.title_award(world.actor("city_admin"), **kwargs)
    assert title.stars == 1
    with pytest.raises(DomainError, match="同级称号"):
        services.title_award(world.actor("city_admin"), **kwargs)


def test_revoking_keeps_the_title_with_its_date_and_reason(world):
    services.title_revoke(
        world.actor("city_admin"),
        title=world.title,
        reason="复核不合格",
        on=datetime.date(2026, 10, 1),
    )
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.REVOKED and world.title.ended_on == datetime.date(
        2026, 10, 1
    )
    with pytest.raises(DomainError):
        services.title_expire(world.actor("city_admin"), title=world.title, reason="x")
    entry = AuditEntry.objects.get(code="collectives.title.revoked")
    assert entry.after["status"] == "revoked" and entry.before["status"] == "active"


def test_stars_stay_between_zero_and_three(world):
    with pytest.raises(DomainError):
        services.title_set_stars(world.actor("city_admin"), title=world.title, stars=4, reason="x")
    services.title_set_stars(
        world.actor("city_admin"), title=world.title, stars=3, reason="星级评定"
    )
    world.title.refresh_from_db()
    assert world.title.stars == 3


def test_rules_change_recomputes_every_collective_on_commit(
    world, django_capture_on_commit_callbacks
):
    from qnwmh.programme.services import rules_update

    with django_capture_on_commit_callbacks(execute=True):
        rules_update(world.actor("city_admin"), values={"members_min": 9})
    world.collective.refresh_from_db()
    assert world.collective.eligibility == Eligibility.NOT_MET  # 8 members < 9


def test_a_failed_audit_write_rolls_the_change_back(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditEntry.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.collective_update(
            world.actor("body_admin"), collective=world.collective, values={"address": "新地址"}
        )
    world.collective.refresh_from_db()
    assert world.collective.address == ""


def test_the_nightly_command_catches_up_with_birthdays(world):
    from io import StringIO

    from django.core.management import call_command

    from qnwmh.collectives.models import Collective

    Collective.objects.filter(pk=world.collective.pk).update(eligibility=Eligibility.NOT_MET)
    out = StringIO()
    call_command("refresh_eligibility", stdout=out)
    world.collective.refresh_from_db()
    assert world.collective.eligibility == Eligibility.MET
    assert "refreshed for 2 collectives" in out.getvalue()
