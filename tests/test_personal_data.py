"""Members' personal data (issue 10, items 13 and 18): phone numbers validated and written in
one form; invisible control characters refused in free text; a double submit adds one member;
one masking rule (phone masked, birth date as an age band) on every page, export and API
answer for anyone who may not see the data in full."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from qnwmh.collectives import services
from qnwmh.collectives.importing.services import import_upload
from qnwmh.collectives.models import Member
from qnwmh.core.errors import DomainError
from qnwmh.core.masking import age_band, mask_phone
from qnwmh.core.validation import check_text, normalise_phone
from qnwmh.cycles.models import Registration
from tests import factories as f
from tests import factories_cycles as fc
from tests.api.helpers import client_for
from tests.xlsx_builders import collective_row, member_rows, upload, workbook

# Phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,written",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("0760-88881234", "0760-88881234"),
        ("(0760)88881234", "0760-88881234"),
        ("（0760）88881234", "0760-88881234"),
        ("076088881234", "0760-88881234"),
        ("0760 8888 1234", "0760-88881234"),
        ("0760-8888123", "0760-8888123"),
        ("010-88881234", "010-88881234"),
        ("01088881234", "010-88881234"),
        ("020-88881234-123", "020-88881234-123"),
        ("0760-88881234转8001", "0760-88881234-8001"),
        ("0760-88881234 ext. 12", "0760-88881234-12"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised(raw: str, written: str) -> None:
    assert normalise_phone(raw) == written


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "12812345678",
        "1381234567",
        "138123456789",
        "88881234",
        "0760-1234",
        "abc",
        "138****5678",
        "0760-08881234",
    ],
)
def test_bad_phone_numbers_are_refused_in_chinese(raw: str) -> None:
    with pytest.raises(DomainError, match="电话号码格式不正确") as exc:
        normalise_phone(raw)
    assert exc.value.field == "phone"


def _member_values(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "王小明",
        "birth_date": f.years_ago(27),
        "nationality": "CN",
        "post": "窗口",
        "phone": "138 0000 1111",
        "is_leader": False,
    }
    values.update(over)
    return values


def test_member_phone_is_validated_and_normalised_by_the_service(world: Any) -> None:
    actor = world.actor("manager")
    m = services.member_add(actor, collective=world.collective, values=_member_values())
    assert m.phone == "13800001111"
    with pytest.raises(DomainError, match="电话号码格式不正确"):
        services.member_update(actor, member=m, values={"phone": "12345"})
    services.member_update(actor, member=m, values={"phone": "(0760)88881234"})
    m.refresh_from_db()
    assert m.phone == "0760-88881234"


def test_member_form_refuses_a_bad_phone_on_its_field(world: Any) -> None:
    url = reverse("collectives:member_add", args=[world.collective.code])
    data = {**_member_values(phone="12345"), "birth_date": f.years_ago(27).isoformat()}
    response = world.client("manager").post(url, data)
    assert response.status_code == 200
    assert "电话号码格式不正确" in response.context["form"].errors["phone"][0]
    assert not Member.objects.filter(name="王小明").exists()


def test_api_refuses_a_bad_phone_and_normalises_a_good_one(world: Any) -> None:
    api = client_for(world, "manager")
    path = f"/collectives/{world.collective.code}/members"
    payload = {"name": "王小明", "birth_date": f.years_ago(27).isoformat(), "phone": "5551234"}
    response = api.post(path, payload)
    assert response.status_code == 400 and response.json()["field"] == "phone"
    assert "电话号码格式不正确" in response.json()["detail"]
    response = api.post(path, {**payload, "phone": "0760 8888 1234"})
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "0760-88881234"


def test_import_refuses_a_bad_phone_and_normalises_a_good_one(world: Any) -> None:
    name = "导入电话测试青年突击队"
    members = member_rows(world.body, name)
    members[2][6] = "12345"
    data = workbook([collective_row(world.body, name)], members)
    batch = import_upload(world.actor("body_admin"), upload=upload(data))
    assert batch.status == "invalid"
    assert any(
        e["column"] == "手机号" and e["row"] == 4 and "电话号码格式不正确" in e["message"]
        for e in batch.errors
    ), batch.errors
    members[2][6] = "139 0000 0002"
    batch = import_upload(
        world.actor("body_admin"),
        upload=upload(workbook([collective_row(world.body, name)], members)),
    )
    assert batch.status == "ready", batch.errors
    from qnwmh.collectives.importing.services import import_apply

    import_apply(world.actor("body_admin"), batch=batch)
    assert Member.objects.filter(collective__name=name, phone="13900000002").exists()


# Invisible characters --------------------------------------------------------------------

INVISIBLE = [
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u00ad",
    "\x07",
]


@pytest.mark.parametrize("ch", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_refused(ch: str) -> None:
    with pytest.raises(DomainError, match="不可见的控制字符"):
        check_text(f"微笑{ch}服务", field="pledges")


def test_line_breaks_and_plain_chinese_are_text() -> None:
    check_text("热情服务\r\n接受监督\t（一）", field="pledges")


def test_services_refuse_invisible_characters_in_every_free_text_field(world: Any) -> None:
    rlo = "\u202e"
    manager, admin = world.actor("manager"), world.actor("body_admin")
    for name in ("name", "work_unit", "address", "pledges"):
        with pytest.raises(DomainError, match="不可见") as exc:
            services.collective_update(
                manager, collective=world.collective, values={name: f"服务{rlo}承诺"}
            )
        assert exc.value.field == name
    with pytest.raises(DomainError, match="不可见"):
        services.collective_create(
            admin,
            values={
                "name": f"新集体{rlo}",
                "work_unit": "某单位",
                "body": world.body,
                "town": world.town,
                "ownership": "non_public",
            },
        )
    for name in ("name", "post"):
        with pytest.raises(DomainError, match="不可见") as exc:
            services.member_add(
                manager,
                collective=world.collective,
                values=_member_values(**{name: "王\u200b小明"}),
            )
        assert exc.value.field == name
    with pytest.raises(DomainError, match="不可见"):
        services.member_update(manager, member=world.member, values={"name": f"王{rlo}明"})
    city = world.actor("city_admin")
    with pytest.raises(DomainError, match="不可见"):
        services.title_revoke(city, title=world.title, reason=f"违规{rlo}经营")
    with pytest.raises(DomainError, match="不可见"):
        services.title_set_stars(city, title=world.title, stars=2, reason="表现\u200b突出")
    with pytest.raises(DomainError, match="不可见"):
        services.collective_archive(admin, collective=world.collective, reason=f"撤并{rlo}")
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 2)
    for name in ("plan_summary", "leader_name", "leading_group", "pledge"):
        from qnwmh.cycles import services as cycle_services

        with pytest.raises(DomainError, match="不可见") as exc:
            cycle_services.registration_file(
                manager,
                cycle=cycle,
                collective=world.collective,
                values=fc.values(**{name: "承诺\u2066内容"}),
            )
        assert exc.value.field == name
    assert not Registration.objects.filter(cycle=cycle).exists()


def test_collective_form_shows_the_refusal_on_the_pledges_field(world: Any) -> None:
    url = reverse("collectives:edit", args=[world.collective.code])
    response = world.client("manager").post(
        url,
        {"name": world.collective.name, "work_unit": "单位", "pledges": "热情\u202e服务"},
    )
    assert response.status_code == 200
    assert "不可见" in response.context["form"].errors["pledges"][0]


def test_api_refuses_invisible_characters(world: Any) -> None:
    api = client_for(world, "manager")
    response = api.patch(f"/collectives/{world.collective.code}", {"pledges": "热情\u202e服务"})
    assert response.status_code == 400 and response.json()["field"] == "pledges"
    response = api.post(
        f"/collectives/{world.collective.code}/members",
        {"name": "王\u200b明", "birth_date": f.years_ago(27).isoformat()},
    )
    assert response.status_code == 400 and response.json()["field"] == "name"


def test_import_refuses_invisible_characters(world: Any) -> None:
    name = "导入字符测试青年突击队"
    members = member_rows(world.body, name)
    members[1][2] = "王\u202e明"
    data = workbook([collective_row(world.body, name, 服务承诺="热情\u200b服务")], members)
    batch = import_upload(world.actor("body_admin"), upload=upload(data))
    assert batch.status == "invalid"
    located = {(e["sheet"], e["row"], e["column"]) for e in batch.errors}
    assert ("集体", 2, "服务承诺") in located and ("成员", 3, "姓名") in located, batch.errors
    assert all("不可见" in e["message"] for e in batch.errors)


# Double submit ---------------------------------------------------------------------------


def test_posting_the_member_form_twice_adds_one_member(world: Any) -> None:
    client = world.client("manager")
    url = reverse("collectives:member_add", args=[world.collective.code])
    data = {**_member_values(), "birth_date": f.years_ago(27).isoformat()}
    before = world.collective.members.current().count()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert Member.objects.filter(collective=world.collective, name="王小明").count() == 1
    world.collective.refresh_from_db()
    assert world.collective.member_count == before + 1


def test_the_database_refuses_a_second_current_row_for_the_same_person(world: Any) -> None:
    from django.db import IntegrityError, transaction

    m = world.member
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            collective=world.collective, name=m.name, birth_date=m.birth_date, phone=""
        )
    # Someone who left may join again.
    services.member_remove(world.actor("manager"), member=m)
    again = services.member_add(
        world.actor("manager"),
        collective=world.collective,
        values=_member_values(name=m.name, birth_date=m.birth_date),
    )
    assert again.pk != m.pk


def test_the_service_refuses_a_duplicate_in_chinese(world: Any) -> None:
    m = world.member
    with pytest.raises(DomainError, match="已在名单中"):
        services.member_add(
            world.actor("body_admin"),
            collective=world.collective,
            values=_member_values(name=m.name, birth_date=m.birth_date),
        )


# One masking rule ------------------------------------------------------------------------

LEADER_PHONE = "13912345678"


@pytest.fixture
def leader(world: Any) -> Member:
    m = world.collective.members.current().get(is_leader=True)
    Member.objects.filter(pk=m.pk).update(phone=LEADER_PHONE, birth_date=datetime.date(1996, 5, 2))
    m.refresh_from_db()
    return m


FULL = {"body_admin": True, "manager": True, "city_admin": False}


def test_age_band_is_five_years() -> None:
    on = datetime.date(2026, 6, 1)
    assert age_band(datetime.date(2000, 6, 1), on) == "25–29岁"
    assert age_band(datetime.date(2000, 6, 2), on) == "25–29岁"
    assert age_band(datetime.date(1996, 6, 2), on) == "25–29岁"
    assert age_band(datetime.date(1996, 6, 1), on) == "30–34岁"


def test_mask_phone_keeps_a_landlines_area_code() -> None:
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0760-88881234") == "0760-****1234"
    assert mask_phone("0760-88881234-12") == "0760-****1234"


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager"])
def test_phone_and_birth_date_show_the_same_on_every_page_export_and_api(
    world: Any, leader: Member, role: str
) -> None:
    full = FULL[role]
    phone = LEADER_PHONE if full else "139****5678"
    birth = "1996-05-02" if full else age_band(leader.birth_date)
    hidden = [] if full else [LEADER_PHONE, "1996-05-02"]
    cycle = fc.cycle()
    reg = fc.registration(
        cycle, world.collective, leader_name=leader.name, leader_phone=LEADER_PHONE
    )
    client = world.client(role)

    roster = client.get(reverse("collectives:detail", args=[world.collective.code]))
    page = client.get(reverse("cycles:registration_detail", args=[cycle.code, reg.code]))
    for response in (roster, page):
        html = response.content.decode()
        assert response.status_code == 200 and phone in html
        for text in hidden:
            assert text not in html, (role, text)
    assert birth in roster.content.decode()

    export = client.get(reverse("collectives:members_export"))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    row = next(r for r in rows if r[2] == leader.name)
    cells = [str(c)[:10] if isinstance(c, datetime.datetime | datetime.date) else c for c in row]
    assert phone in cells and birth in cells, cells
    for text in hidden:
        assert text not in cells

    answer = client_for(world, role).get(f"/collectives/{world.collective.code}/members")
    item = next(i for i in answer.json()["results"] if i["id"] == leader.pk)
    assert item["phone"] == phone
    assert item["age_band"] == age_band(leader.birth_date)
    assert item["birth_date"] == ("1996-05-02" if full else None)


def test_outside_body_admin_sees_no_full_data_on_the_api(world: Any) -> None:
    # The outsider cannot see the collective at all (404); its own one is another body's.
    answer = client_for(world, "outsider").get(f"/collectives/{world.collective.code}/members")
    assert answer.status_code == 404


def test_city_admin_member_edit_form_does_not_reveal_phone_or_birth_date(
    world: Any, leader: Member
) -> None:
    url = reverse("collectives:member_edit", args=[world.collective.code, leader.pk])
    html = world.client("city_admin").get(url).content.decode()
    assert LEADER_PHONE not in html and "1996-05-02" not in html
    response = world.client("city_admin").post(
        url, {"name": leader.name, "post": "主任", "nationality": "CN", "is_leader": "on"}
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.post == "主任" and leader.phone == LEADER_PHONE


def test_the_audit_log_keeps_members_phones_and_birth_dates_masked(world: Any) -> None:
    """The audit log is the city admin's page: the same rule as the roster applies there."""
    from qnwmh.audit.models import AuditEntry
    from qnwmh.cycles import services as cycle_services

    manager = world.actor("manager")
    m = services.member_add(
        manager,
        collective=world.collective,
        values=_member_values(phone="13977776666", birth_date=datetime.date(1997, 3, 8)),
    )
    services.member_update(manager, member=m, values={"phone": "13955554444"})
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 2)
    cycle_services.registration_file(
        manager,
        cycle=cycle,
        collective=world.collective,
        values=fc.values(leader_phone="13933332222"),
    )
    stored = str(list(AuditEntry.objects.values_list("before", "after", "data")))
    html = world.client("city_admin").get(reverse("audit:log")).content.decode()
    for text in ("13977776666", "13955554444", "13933332222", "1997-03-08"):
        assert text not in stored and text not in html, text
    assert "139****6666" in stored and "139****4444" in stored


def test_member_form_takes_a_landline_with_extension_as_typed(world: Any) -> None:
    url = reverse("collectives:member_add", args=[world.collective.code])
    data = {
        **_member_values(phone="(0760) 8888 1234 转 8001"),
        "birth_date": f.years_ago(27).isoformat(),
    }
    response = world.client("manager").post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Member.objects.get(name="王小明").phone == "0760-88881234-8001"
