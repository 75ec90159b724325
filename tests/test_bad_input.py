"""Bad input gets a clear Chinese message, never a 500, and changes nothing."""

from __future__ import annotations

from django.urls import reverse

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Collective, Member


def member_post(world, **data):
    base = {
        "name": "王小明",
        "birth_date": "1998-05-04",
        "nationality": "CN",
        "post": "",
        "phone": "",
    }
    base.update(data)
    return world.client("manager").post(
        reverse("collectives:member_add", args=[world.collective.code]), base
    )


def test_an_impossible_birth_date_is_refused(world):
    before = Member.objects.count()
    response = member_post(world, birth_date="2023-02-30")
    assert response.status_code == 200
    assert "有效的日期" in response.content.decode()
    assert Member.objects.count() == before


def test_a_child_is_refused_with_the_rule(world):
    response = member_post(world, birth_date="2020-01-01")
    assert "成员须年满 16 周岁" in response.content.decode()
    assert not Member.objects.filter(name="王小明").exists()


def test_an_unknown_nationality_is_refused(world):
    response = member_post(world, nationality="ZZ")
    assert response.status_code == 200 and not Member.objects.filter(name="王小明").exists()


def collective_post(world, role="body_admin", **data):
    base = {
        "name": "新集体",
        "work_unit": "某单位",
        "body": world.body.pk,
        "town": world.town.pk,
        "ownership": "non_public",
        "pledges": "",
    }
    base.update(data)
    return world.client(role).post(reverse("collectives:create"), base)


def test_an_unknown_town_is_refused(world):
    response = collective_post(world, town=999999)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Collective.objects.filter(name="新集体").exists()


def test_a_duplicate_name_in_the_body_is_refused(world):
    response = collective_post(world, name=world.collective.name)
    assert "已有同名集体" in response.content.decode()
    assert Collective.objects.filter(name=world.collective.name).count() == 1


def test_a_tampered_form_posting_another_bodys_id_answers_404_and_writes_nothing(world):
    audit_before = AuditEntry.objects.count()
    response = collective_post(world, body=world.other_body.pk, town=world.other_town.pk)
    assert response.status_code == 404
    assert not Collective.objects.filter(name="新集体").exists()
    assert AuditEntry.objects.count() == audit_before


def test_editing_another_bodys_collective_answers_404(world):
    url = reverse("collectives:edit", args=[world.other_collective.code])
    response = world.client("body_admin").post(url, {"name": "改名"})
    assert response.status_code == 404
    world.other_collective.refresh_from_db()
    assert world.other_collective.name != "改名"


def test_a_manager_posting_governed_fields_cannot_change_them(world):
    url = reverse("collectives:edit", args=[world.collective.code])
    response = world.client("manager").post(
        url,
        {
            "name": world.collective.name,
            "work_unit": "测试单位",
            "ownership": "other",
            "body": world.other_body.pk,
            "pledges": "新的承诺",
        },
    )
    assert response.status_code == 302
    world.collective.refresh_from_db()
    assert world.collective.pledges == "新的承诺"
    assert world.collective.ownership != "other" and world.collective.body == world.body


def test_a_password_that_reuses_the_username_is_refused(world):
    response = world.client("city_admin").post(
        reverse("accounts:user_create"),
        {"username": "zhangwei", "password": "zhangwei2024!", "role": "reviewer"},
    )
    assert response.status_code == 200 and "容易被猜到" in response.content.decode()


def test_garbage_query_parameters_do_not_break_the_list(world):
    url = reverse("collectives:list") + "?page=abc&town=x&body=-1&level=<script>&q=" + "长" * 200
    response = world.client("body_admin").get(url)
    assert response.status_code == 200
