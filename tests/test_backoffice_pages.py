"""Back-office pages do what their forms say, through the services."""

from __future__ import annotations

from django.urls import reverse

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Collective, Member, Title
from qnwmh.orgs.models import Organisation, Sector, Town
from qnwmh.programme.models import ProgrammeRules


def test_body_admin_creates_a_collective_through_the_form(world):
    response = world.client("body_admin").post(
        reverse("collectives:create"),
        {
            "name": "石岐街道青年突击队",
            "work_unit": "石岐街道办",
            "body": world.body.pk,
            "town": world.town.pk,
            "ownership": "party_government",
            "pledges": "一次办好",
        },
    )
    c = Collective.objects.get(name="石岐街道青年突击队")
    assert response["Location"] == reverse("collectives:detail", args=[c.code])


def test_member_edit_and_remove_through_the_pages(world):
    client = world.client("manager")
    url = reverse("collectives:member_edit", args=[world.collective.code, world.member.pk])
    client.post(
        url,
        {
            "name": "改名后",
            "birth_date": world.member.birth_date.isoformat(),
            "nationality": "CN",
            "post": "窗口",
            "phone": "13900001111",
            "is_leader": "on",
        },
    )
    assert Member.objects.get(pk=world.member.pk).name == "改名后"
    removed = client.post(
        reverse("collectives:member_remove", args=[world.collective.code, world.member.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert removed.status_code == 200 and "改名后" not in removed.content.decode()
    assert Member.objects.get(pk=world.member.pk).left_on is not None


def test_phones_are_masked_for_the_city_and_shown_to_the_body(world):
    url = reverse("collectives:detail", args=[world.collective.code])
    assert "138****5678" in world.client("city_admin").get(url).content.decode()
    body_page = world.client("body_admin").get(url).content.decode()
    assert "13812345678" in body_page and "138****5678" not in body_page


def test_city_admin_awards_and_revokes_titles(world):
    client = world.client("city_admin")
    client.post(
        reverse("collectives:title_award", args=[world.other_collective.code]),
        {
            "level": "provincial",
            "stars": 1,
            "session_no": 21,
            "year": 2023,
            "awarded_on": "2023-11-01",
        },
    )
    title = Title.objects.get(collective=world.other_collective)
    client.post(
        reverse("collectives:title_end", args=[world.other_collective.code, title.code]),
        {"outcome": "revoked", "reason": "暗访发现服务问题，整改不合格"},
    )
    title.refresh_from_db()
    assert title.status == "revoked"


def test_a_provincial_title_keeps_the_city_title_automatically(world):
    from tests import factories as f

    f.title(world.collective, level="provincial", session_no=20, year=2021)
    page = world.client("body_admin").get(
        reverse("collectives:detail", args=[world.collective.code])
    )
    assert "自然保留" in page.content.decode()


def test_city_admin_edits_the_rules_and_the_edit_is_audited(world):
    client = world.client("city_admin")
    page = client.get(reverse("programme:rules"))
    form = page.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data["leader_must_be_national"] = "on"
    data["members_max"] = 150
    response = client.post(reverse("programme:rules"), data)
    assert response.status_code == 302
    assert ProgrammeRules.current().members_max == 150
    entry = AuditEntry.objects.get(code="programme.rules.updated")
    assert entry.before == {"members_max": 200} and entry.after == {"members_max": 150}


def test_rules_refuse_an_inverted_range(world):
    import pytest

    from qnwmh.core.errors import DomainError
    from qnwmh.programme.services import rules_update

    with pytest.raises(DomainError):
        rules_update(world.actor("city_admin"), values={"members_min": 300})
    assert ProgrammeRules.current().members_min == 6


def test_city_admin_maintains_towns_sectors_and_bodies(world):
    client = world.client("city_admin")
    client.post(
        reverse("orgs:town_create"),
        {"name": "翠亨新区", "kind": "street", "sort_order": 30, "active": "on"},
    )
    town = Town.objects.get(name="翠亨新区")
    client.post(
        reverse("orgs:sector_create"), {"name": "应急管理", "sort_order": 5, "active": "on"}
    )
    client.post(
        reverse("orgs:create"),
        {
            "name": "共青团中山市翠亨新区工作委员会",
            "short_name": "翠亨团工委",
            "body_kind": "territorial",
            "town": town.pk,
            "active": "on",
        },
    )
    body = Organisation.objects.get(name="共青团中山市翠亨新区工作委员会")
    assert body.parent == world.city and body.path.startswith(world.city.path)
    assert Sector.objects.filter(name="应急管理").exists()
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"orgs.town.created", "orgs.sector.created", "orgs.organisation.created"} <= codes


def test_a_body_needs_its_town_or_sector(world):
    client = world.client("city_admin")
    response = client.post(
        reverse("orgs:create"), {"name": "共青团某委员会", "body_kind": "industry", "active": "on"}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="共青团某委员会").exists()


def test_user_creation_and_deactivation_through_the_pages(world):
    client = world.client("city_admin")
    client.post(
        reverse("accounts:user_create"),
        {
            "username": "liming",
            "display_name": "黎明",
            "password": "Pearl-River-Delta-7",
            "role": "body_admin",
            "organisation": world.body.pk,
        },
    )
    user = User.objects.get(username="liming")
    assert RoleAssignment.objects.get(user=user).organisation == world.body
    client.post(reverse("accounts:user_toggle_active", args=["liming"]), {"confirmed": "1"})
    assert not User.objects.get(username="liming").is_active


def test_home_pages_say_what_needs_doing(world):
    from tests import factories as f

    f.collective(world.body, members=3)
    home = world.client("body_admin").get(reverse("core:home")).content.decode()
    assert "不符合资格条件的集体" in home
    manager_home = world.client("manager").get(reverse("core:home")).content.decode()
    assert world.collective.name in manager_home


def _rules_form_data(client):
    form = client.get(reverse("programme:rules")).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data["leader_must_be_national"] = "on"
    return data


def test_city_admin_edits_the_rubric_dimension_by_dimension(world):
    client = world.client("city_admin")
    data = _rules_form_data(client)
    data["rubric_features_points"] = 40
    data["rubric_league_building_weight"] = "2.5"
    response = client.post(reverse("programme:rules"), data)
    assert response.status_code == 302
    rubric = {row["dimension"]: row for row in ProgrammeRules.current().rubric}
    assert rubric["features"] == {"dimension": "features", "max_points": 40, "weight": 1}
    assert rubric["league_building"]["weight"] == 2.5
    entry = AuditEntry.objects.get(code="programme.rules.updated")
    assert set(entry.after) == {"rubric"}


def test_a_rubric_with_every_weight_zero_is_refused_on_the_form(world):
    client = world.client("city_admin")
    data = _rules_form_data(client)
    for name in data:
        if name.startswith("rubric_") and name.endswith("_weight"):
            data[name] = 0
    response = client.post(reverse("programme:rules"), data)
    assert response.status_code == 200
    assert "权重不能全为零" in response.content.decode()
    assert all(row["weight"] == 1 for row in ProgrammeRules.current().rubric)
