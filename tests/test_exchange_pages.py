"""Exchange pages and API: the list (filters, constant queries, Excel), creating an event,
registration past the limit refused on the page and through the API with the Chinese
message and nothing changed, the state buttons, minutes with a photo, the appraisal form and
the collective's office panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from qnwmh.exchange import services
from qnwmh.exchange.models import AppraisalItem, Event, EventKind, EventStatus
from tests import factories as f
from tests import factories_cycles as fc
from tests import factories_exchange as fx
from tests.api.helpers import client_for
from tests.querycount import assert_constant_queries


def test_list_filters_and_costs_the_same_at_any_size(world):
    fx.event(world, status="open", title="展示会甲")
    fx.event(world, kind=EventKind.MEETING, status="open", title="交流会乙")
    client = world.client("manager")
    page = client.get(reverse("exchange:list")).content.decode()
    assert "展示会甲" in page and "交流会乙" in page
    page = client.get(reverse("exchange:list") + "?kind=meeting").content.decode()
    assert "交流会乙" in page and "展示会甲" not in page
    page = client.get(reverse("exchange:list") + "?q=甲&status=open").content.decode()
    assert "展示会甲" in page and "交流会乙" not in page
    assert_constant_queries(
        lambda: client.get(reverse("exchange:list")),
        lambda: [fx.event(world, status="open") for _ in range(3)],
    )


def test_the_list_exports_to_excel(world):
    fx.event(world, status="open", title="展示会甲")
    r = world.client("body_admin").get(reverse("exchange:list") + "?export=xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_creating_events_on_the_page(world):
    client = world.client("city_admin")
    today = timezone.localdate().isoformat()
    r = client.post(
        reverse("exchange:new"),
        {
            "kind": "mutual_visit",
            "title": "互访互学",
            "organiser": world.city.pk,
            "held_on": today,
            "place": "窗口",
            "host": world.collective.pk,
            "guest": world.other_collective.pk,
        },
    )
    assert r.status_code == 302
    e = Event.objects.get(title="互访互学")
    assert (e.host, e.guest, e.registered_count) == (world.collective, world.other_collective, 2)
    r = client.post(
        reverse("exchange:new"),
        {
            "kind": "exhibition",
            "title": "展示会",
            "organiser": world.city.pk,
            "held_on": today,
            "place": "展厅",
        },
    )
    assert r.status_code == 400 and "请至少邀请一个组织管理机构或集体" in r.content.decode()


def test_registering_past_the_limit_on_the_page_says_so_and_changes_nothing(world):
    e = fx.event(world, capacity=1, bodies=[world.body, world.other_body], status="open")
    services.register(world.actor("manager"), e, collective=world.collective)
    client = world.client("outsider")
    form = client.get(reverse("exchange:register", args=[e.code])).content.decode()
    assert world.other_collective.name in form
    r = client.post(
        reverse("exchange:register", args=[e.code]),
        {"collective": world.other_collective.pk, "people": 3},
    )
    assert (
        r.status_code == 400 and "报名已满（名额上限 1 个集体），未能报名。" in r.content.decode()
    )
    e.refresh_from_db()
    assert e.registered_count == 1 and e.registrations.count() == 1


def test_registering_past_the_limit_through_the_api(world):
    e = fx.event(world, capacity=1, bodies=[world.body, world.other_body], status="open")
    manager, outsider = client_for(world, "manager"), client_for(world, "outsider")
    url = f"/exchange/events/{e.code}/registrations"
    assert manager.post(url, {"collective": world.collective.code}).status_code == 201
    r = outsider.post(url, {"collective": world.other_collective.code})
    assert r.status_code == 400 and "报名已满" in r.json()["detail"]
    e.refresh_from_db()
    assert e.registered_count == 1
    detail = manager.get(f"/exchange/events/{e.code}").json()
    assert [x["collective_code"] for x in detail["registrations"]] == [world.collective.code]


def test_an_event_through_the_api_from_creation_to_close(world):
    fc.cycle()
    city = client_for(world, "city_admin")
    r = city.post(
        "/exchange/events",
        {
            "kind": "meeting",
            "title": "经验交流会",
            "organiser": world.city.code,
            "held_on": timezone.localdate().isoformat(),
            "place": "会议室",
            "capacity": 5,
            "invited_collectives": [world.collective.code],
        },
    )
    assert r.status_code == 201, r.content
    url = f"/exchange/events/{r.json()['code']}"
    assert city.post(url + "/move", {"to": "open"}).json()["status"] == "open"
    manager = client_for(world, "manager")
    assert (
        manager.post(url + "/registrations", {"collective": world.collective.code}).status_code
        == 201
    )
    assert city.post(url + "/move", {"to": "held"}).status_code == 200
    r = city.post(url + "/attendance", {"attended": [world.other_collective.code]})
    assert r.status_code == 400
    assert city.post(url + "/attendance", {"attended": [world.collective.code]}).status_code == 200
    assert city.post(url + "/minutes", {"minutes": "交流了做法。"}).status_code == 200
    closed = city.post(url + "/move", {"to": "closed"}).json()
    assert closed["status"] == "closed" and closed["registrations"][0]["attended"] is True
    items = manager.get("/exchange/appraisal-items").json()
    assert [i["label"] for i in items] == ["服务规范", "创建特色", "团队风貌", "可借鉴做法"]


def test_state_buttons_ask_first_and_move(world):
    e = fx.event(world, status="draft")
    client = world.client("city_admin")
    page = client.get(reverse("exchange:detail", args=[e.code])).content.decode()
    assert reverse("exchange:move", args=[e.code, "open"]) in page
    assert reverse("exchange:move", args=[e.code, "closed"]) not in page
    url = reverse("exchange:move", args=[e.code, "open"])
    assert client.post(url).status_code == 200  # asks first
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    e.refresh_from_db()
    assert e.status == EventStatus.OPEN
    # An illegal move comes back as a message, nothing changed.
    r = client.post(
        reverse("exchange:move", args=[e.code, "closed"]), {"confirmed": "1"}, follow=True
    )
    assert "不能转为" in r.content.decode()
    e.refresh_from_db()
    assert e.status == EventStatus.OPEN


def test_minutes_with_a_photo_and_the_manager_sees_the_count_only(
    world, django_capture_on_commit_callbacks
):
    e = fx.event(world, status="held")
    client = world.client("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("exchange:minutes", args=[e.code]),
            {"minutes": "一、展示；二、交流。", "photos": fx.jpeg()},
        )
    assert r.status_code == 302
    assert e.photos.count() == 1
    page = client.get(reverse("exchange:detail", args=[e.code])).content.decode()
    assert 'data-testid="photos"' in page and "一、展示；二、交流。" in page
    page = world.client("manager").get(reverse("exchange:detail", args=[e.code])).content.decode()
    assert 'data-testid="photos"' not in page and "1 张照片" in page


def test_appraisal_page_offers_only_ones_own_side(world):
    e = fx.mutual_visit(world, status="held")
    client = world.client("manager")
    form = client.get(reverse("exchange:appraise", args=[e.code])).content.decode()
    assert world.collective.name in form and world.other_collective.name not in form
    data = {"by_collective": world.collective.pk}
    for item in AppraisalItem.objects.all():
        data[f"points_{item.key}"] = "5"
    data["points_team"] = "9"
    r = client.post(reverse("exchange:appraise", args=[e.code]), data)
    assert r.status_code == 400 and not e.appraisals.exists()
    data["points_team"] = "3"
    assert client.post(reverse("exchange:appraise", args=[e.code]), data).status_code == 302
    page = client.get(reverse("exchange:detail", args=[e.code])).content.decode()
    assert 'data-testid="appraisal"' in page and "4.5" in page
    form = client.get(reverse("exchange:appraise", args=[e.code])).content.decode()
    assert 'data-testid="appraised"' in form


def test_the_collective_office_page_lists_its_events(world):
    e = fx.event(world, status="open", title="成果展示会")
    services.register(world.actor("manager"), e, collective=world.collective)
    page = (
        world.client("manager")
        .get(reverse("collectives:detail", args=[world.collective.code]))
        .content.decode()
    )
    assert 'data-testid="exchange-panel"' in page and "成果展示会" in page
    other = f.collective(world.body, name="无活动集体")
    page = world.client("city_admin").get(reverse("collectives:detail", args=[other.code]))
    assert "暂无交流活动" in page.content.decode()


def test_home_asks_the_sides_for_their_appraisal(world):
    from qnwmh.core.home import gather
    from qnwmh.exchange.home import tasks as app_tasks

    def tasks(actor):
        return gather(app_tasks(actor))

    assert tasks(world.actor("manager")) == []
    e = fx.mutual_visit(world, status="held")
    (task,) = tasks(world.actor("manager"))
    assert task.count == 1 and "kind=mutual_visit" in task.url
    services.appraise(
        world.actor("manager"), e, by_collective=world.collective, scores=fx.full_scores()
    )
    assert tasks(world.actor("manager")) == []


def test_withdrawing_on_the_page_frees_the_place(world):
    e = fx.event(world, capacity=1, status="open")
    r = services.register(world.actor("manager"), e, collective=world.collective)
    client = world.client("manager")
    page = client.get(reverse("exchange:detail", args=[e.code])).content.decode()
    url = reverse("exchange:withdraw", args=[e.code, r.pk])
    assert url in page
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    e.refresh_from_db()
    assert e.registered_count == 0
    page = client.get(reverse("exchange:detail", args=[e.code])).content.decode()
    assert url not in page and reverse("exchange:register", args=[e.code]) in page
