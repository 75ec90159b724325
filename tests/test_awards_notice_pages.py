"""The notice part through its pages: a failed inspection takes the entry off the list, a
notice is published and read by the public, an objection is filed on a phone-sized form and
tracked by its code, city staff uphold it and the public page marks the entry removed with
the published reason; body admins see masked phones; lists cost constant queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qnwmh.awards.models import (
    EntryStatus,
    InspectionOutcome,
    NoticeItem,
    Objection,
    ObjectionStatus,
    PublicNotice,
    RemovalKind,
    ShortlistEntry,
)
from tests import factories_awards as fa
from tests import notice_builders as nb
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _body_entries(w: Any, per_body: int = 4) -> Any:
    return nb.shortlist(w.body, per_body=per_body)


def test_a_failed_inspection_through_the_page_removes_the_entry(world: Any) -> None:
    s = _body_entries(world)
    entry = nb.listed(s)
    city = world.client("city_admin")
    url = reverse("awards:inspection_record", args=[s.code, entry.pk])
    response = city.post(
        url,
        {
            "visited_on": TODAY.isoformat(),
            "inspectors": "张三、李四",
            "findings": "台账与实际不符。",
            "outcome": InspectionOutcome.FAILED,
            "reason": "",
        },
    )
    assert response.status_code == 400  # a fail needs its reason
    response = city.post(
        url,
        {
            "visited_on": TODAY.isoformat(),
            "inspectors": "张三、李四",
            "findings": "台账与实际不符。",
            "outcome": InspectionOutcome.FAILED,
            "reason": "台账与实际不符",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED and entry.removal_kind == RemovalKind.INSPECTION
    page = city.get(reverse("awards:inspections", args=[s.code])).content.decode()
    assert "考察未通过" in page and entry.collective.name in page
    detail = world.client("body_admin").get(reverse("awards:inspection", args=[s.code, entry.pk]))
    assert "台账与实际不符" in detail.content.decode()


def test_publish_through_the_page_then_the_public_reads_it(world: Any) -> None:
    s = _body_entries(world)
    city = world.client("city_admin")
    first, second = s.entries.filter(status=EntryStatus.LISTED).order_by("city_position")
    nb.passed(first, world.users["city_admin"])
    url = reverse("awards:notice_publish", args=[s.code])
    form = city.get(url).content.decode()
    assert first.collective.name in form and second.collective.name not in form
    response = city.post(
        url,
        {
            "heading": "2026年度拟认定名单公示",
            "intro": "现予公示。",
            "contact": "0760-88318315",
            "opens_on": TODAY.isoformat(),
            f"pick_{first.pk}": "on",
            f"summary_{first.pk}": "十年如一日服务群众。",
        },
    )
    assert response.status_code == 302
    notice = PublicNotice.objects.get(shortlist=s)
    assert notice.closes_on == TODAY + datetime.timedelta(days=6)
    anonymous = Client()
    listing = anonymous.get(reverse("awards_public:notices")).content.decode()
    assert "2026年度拟认定名单公示" in listing
    page = anonymous.get(reverse("awards_public:notice", args=[notice.code])).content.decode()
    assert first.collective.name in page and "十年如一日服务群众。" in page
    assert reverse("awards_public:objection", args=[notice.code, 1]) in page


def test_a_scheduled_notice_is_not_public_yet(world: Any) -> None:
    s = _body_entries(world)
    notice = fa.notice(s, opens_on=TODAY + datetime.timedelta(days=3))
    assert Client().get(reverse("awards_public:notice", args=[notice.code])).status_code == 404


def _file(client: Client, notice: PublicNotice, **over: Any) -> Any:
    data = {
        "contact_name": "王五",
        "contact_phone": "138 0013 8000",
        "contact_unit": "石岐街道",
        "text": "该窗口长期无人值守，群众意见大。",
    }
    data.update(over)
    return client.post(reverse("awards_public:objection", args=[notice.code, 1]), data)


def test_the_objection_journey_through_the_pages(world: Any) -> None:
    s = _body_entries(world)
    notice = fa.notice(s)
    entry = notice.items.get(position=1).entry
    public = Client()
    response = _file(public, notice)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.contact_phone == "13800138000"
    track = public.get(response["Location"]).content.decode()
    assert objection.code in track and "13800138000" not in track and "王五" not in track
    assert "长期无人值守" not in track  # the text is not published, only the outcome

    body_page = world.client("body_admin").get(reverse("awards:objection", args=[objection.pk]))
    assert "138****8000" in body_page.content.decode()
    assert "13800138000" not in body_page.content.decode()
    assert (
        world.client("outsider").get(reverse("awards:objection", args=[objection.pk])).status_code
        == 404
    )

    city = world.client("city_admin")
    decide = reverse("awards:objection_decide", args=[objection.pk])
    response = city.post(
        decide,
        {
            "outcome": "upheld",
            "findings": "现场核实属实（内部）",
            "public_reason": "经核查，反映问题属实。",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DECIDED
    assert entry.status == EntryStatus.REMOVED and entry.removal_kind == RemovalKind.OBJECTION
    track = public.get(reverse("awards_public:track", args=[objection.code])).content.decode()
    assert "经核查，反映问题属实。" in track and "现场核实属实" not in track
    page = public.get(reverse("awards_public:notice", args=[notice.code])).content.decode()
    assert 'data-testid="removed"' in page and "经核查，反映问题属实。" in page
    assert reverse("awards_public:objection", args=[notice.code, 1]) not in page
    # A removed entry takes no further objection: said plainly, nothing saved.
    response = _file(public, notice)
    assert response.status_code == 400 and "不在拟认定名单" in response.content.decode()
    assert Objection.objects.count() == 1


def test_an_objection_after_the_period_is_refused_plainly(world: Any) -> None:
    s = _body_entries(world)
    notice = fa.ended_notice(s)
    page = Client().get(reverse("awards_public:objection", args=[notice.code, 1])).content.decode()
    assert "公示期已于" in page and "<form" not in page.split("<main")[-1]
    response = _file(Client(), notice)
    assert response.status_code == 400 and "公示期已于" in response.content.decode()
    assert not Objection.objects.exists()
    # An ended notice stays public, as history.
    listing = Client().get(reverse("awards_public:notices")).content.decode()
    assert notice.heading in listing


def test_an_objection_without_a_phone_shows_the_form_again(world: Any) -> None:
    notice = fa.notice(_body_entries(world))
    response = _file(Client(), notice, contact_phone="")
    assert response.status_code == 400
    assert not Objection.objects.exists()
    response = _file(Client(), notice, contact_phone="12345")
    assert response.status_code == 400 and "电话号码格式不正确" in response.content.decode()


def test_tracking_an_unknown_code_says_so(world: Any) -> None:
    response = Client().get(reverse("awards_public:track", args=["ZZZZZZZZZZZZZZZZ"]))
    assert response.status_code == 404
    assert "没有找到这个查询码的异议" in response.content.decode()
    lookup = Client().get(reverse("awards_public:track_lookup"), {"code": "abcd efgh"})
    assert lookup.status_code == 302 and lookup["Location"].endswith("/ABCDEFGH/")


def test_assigning_a_handler_through_the_page(world: Any) -> None:
    notice = fa.notice(_body_entries(world))
    objection = nb.objection(notice.items.get(position=1))
    city = world.client("city_admin")
    response = city.post(
        reverse("awards:objection_assign", args=[objection.pk]),
        {"handler": world.users["city_admin"].pk},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.HANDLING
    assert objection.handler == world.users["city_admin"]


def test_overdue_objections_are_flagged(world: Any) -> None:
    notice = fa.notice(_body_entries(world))
    nb.objection(notice.items.get(position=1), due_on=TODAY - datetime.timedelta(days=1))
    page = world.client("city_admin").get(reverse("awards:objections"), {"state": "overdue"})
    assert 'data-testid="overdue"' in page.content.decode()


# Query counts ----------------------------------------------------------------------------


def test_the_objection_list_costs_constant_queries(world: Any) -> None:
    notice = fa.notice(_body_entries(world))
    item = notice.items.get(position=1)
    client = world.client("body_admin")
    assert_constant_queries(
        lambda: client.get(reverse("awards:objections")),
        lambda: [nb.objection(item, contact_phone=f"1380013800{i}") for i in range(3)],
    )


def test_the_public_notice_and_inspection_pages_cost_constant_queries(world: Any) -> None:
    s = _body_entries(world)
    notice = fa.notice(s)
    city_user = world.users["city_admin"]

    def grow() -> None:
        """More entries on the same shortlist and notice, inspected, one removed."""
        more = _body_entries(world)
        listed = list(more.entries.filter(status=EntryStatus.LISTED))
        more.entries.update(shortlist=s)
        start = notice.items.count()
        for i, entry in enumerate(listed, start=start + 1):
            nb.passed(entry, city_user)
            NoticeItem.objects.create(notice=notice, entry=entry, position=i, summary="简介")
        ShortlistEntry.objects.filter(pk=listed[0].pk).update(
            status=EntryStatus.REMOVED, removal_kind=RemovalKind.OBJECTION, removal_reason="属实"
        )

    public = Client()
    assert_constant_queries(
        lambda: public.get(reverse("awards_public:notice", args=[notice.code])), grow
    )
    city = world.client("city_admin")
    assert_constant_queries(lambda: city.get(reverse("awards:inspections", args=[s.code])), grow)
    assert_constant_queries(lambda: city.get(reverse("awards:notice", args=[notice.code])), grow)
    page = city.get(reverse("awards:inspections", args=[s.code])).content.decode()
    assert page.count("考察通过") >= 6
