"""Pages, exports and the bell: query counts stay flat as rows grow; exports open in openpyxl."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qnwmh.core.pagination import count_up_to
from qnwmh.cycles import selectors
from qnwmh.cycles.models import Phase, RegistrationStatus
from qnwmh.notices.models import Notice
from tests import factories as f
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def _grow(cycle: Any, world: Any, n: int) -> None:
    for body in (world.body, world.other_body):
        for i in range(n):
            fc.registration(
                cycle,
                f.collective(body, members=0),
                status=[RegistrationStatus.SUBMITTED, RegistrationStatus.ACCEPTED][i % 2],
            )


@pytest.mark.parametrize("page", ["registrations", "quotas", "towns", "detail", "submissions"])
def test_query_count_is_flat(world: Any, page: str) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 50)
    fc.quota(cycle, world.other_body, 50)
    client = world.client("city_admin")
    url = f"/office/cycles/{cycle.code}/" + ("" if page == "detail" else f"{page}/")
    _grow(cycle, world, 2)
    small = _queries(client, url)
    _grow(cycle, world, 8)
    assert _queries(client, url) == small


def test_body_registration_list_query_count_is_flat(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 50)
    client = world.client("body_admin")
    url = f"/office/cycles/{cycle.code}/registrations/"
    _grow(cycle, world, 2)
    small = _queries(client, url)
    _grow(cycle, world, 8)
    assert _queries(client, url) == small


def test_exports_are_scoped_workbooks(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 4)
    fc.quota(cycle, world.other_body, 2)
    fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED)
    fc.registration(cycle, world.other_collective)
    r = world.client("body_admin").get(f"/office/cycles/{cycle.code}/registrations/export/")
    rows = list(
        load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "报备编号" and len(rows) == 2 and rows[1][1] == world.collective.name
    r = world.client("city_admin").get(f"/office/cycles/{cycle.code}/quotas/export/")
    rows = list(
        load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 3
    by_body = {row[0]: row for row in rows[1:]}
    assert by_body[world.body.name][6:8] == (4, 1)


def test_bell_counts_unread_and_marks_read(world: Any) -> None:
    user = world.users["body_admin"]
    Notice.objects.create(recipient=user, text="请初评", link="/office/")
    Notice.objects.create(recipient=world.users["outsider"], text="别人的")
    client = world.client("body_admin")
    html = client.get("/office/").content.decode()
    assert 'data-testid="bell-count">1<' in html
    other = Notice.objects.get(recipient=world.users["outsider"])
    assert client.post(f"/office/notices/{other.pk}/read/").status_code == 404
    client.post("/office/notices/read-all/")
    assert not Notice.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=world.users["outsider"], read_at__isnull=True).exists()


def test_bad_input_gives_a_message_not_a_500(world: Any) -> None:
    cycle = fc.cycle()
    quota = fc.quota(cycle, world.body, 4)
    client = world.client("city_admin")
    r = client.post(f"/office/cycles/{cycle.code}/quotas/{quota.pk}/override/", {"value": "abc"})
    assert r.status_code == 302
    r = client.post(f"/office/cycles/{cycle.code}/phase/", {"to": "nonsense"}, follow=True)
    assert "不能从" in r.content.decode()
    r = client.get(f"/office/cycles/{cycle.code}/registrations/?status=zzz&body=99999999999999")
    assert r.status_code == 200


def test_body_admin_ranks_through_the_page(world: Any) -> None:
    cycle = fc.cycle()
    fc.quota(cycle, world.body, 3)
    a = fc.registration(cycle, world.collective, status=RegistrationStatus.ACCEPTED, rank=1)
    b = fc.registration(cycle, f.collective(world.body), status=RegistrationStatus.ACCEPTED, rank=2)
    client = world.client("body_admin")
    page = client.get(f"/office/cycles/{cycle.code}/registrations/").content.decode()
    assert f'name="rank_{b.code}"' in page
    client.post(
        f"/office/cycles/{cycle.code}/submissions/{world.body.pk}/rank/",
        {f"rank_{a.code}": "2", f"rank_{b.code}": "1"},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.rank, b.rank) == (2, 1)
    r = client.post(
        f"/office/cycles/{cycle.code}/submissions/{world.body.pk}/rank/",
        {f"rank_{a.code}": "x"},
        follow=True,
    )
    assert "请为每个报备填写排序数字" in r.content.decode()


def test_the_counted_filter_shows_the_registrations_that_hold_a_place(world: Any) -> None:
    """Accepted and filed registrations hold a place (the quota table's ``used``); submitted,
    returned, rejected and withdrawn ones do not. The filter bar offers it by name."""
    cycle = fc.cycle()
    statuses = [
        RegistrationStatus.ACCEPTED,
        RegistrationStatus.FILED,
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.REJECTED,
    ]
    regs = [fc.registration(cycle, f.collective(world.body), status=s) for s in statuses]
    r = world.client("city_admin").get(f"/office/cycles/{cycle.code}/registrations/?counted=1")
    # The page's rows are dicts of what it shows (``selectors.registration_page_rows``).
    assert {reg["code"] for reg in r.context["page"]} == {regs[0].code, regs[1].code}
    page = r.content.decode()
    assert 'name="counted" value="1" checked' in page and "计入名额" in page


REGISTRATION_FILTERS = [
    {},
    {"status": RegistrationStatus.ACCEPTED},
    {"counted": "1"},
    {"body": "BODY"},
    {"town": "TOWN", "status": RegistrationStatus.SUBMITTED},
    {"q": "T0"},
]


@pytest.mark.parametrize("role", ["city_admin", "body_admin", "manager", "outsider"])
def test_the_prepared_registration_lists_read_what_their_querysets_read(
    world: Any, role: str
) -> None:
    cycle = fc.cycle()
    _grow(cycle, world, 3)
    actor = world.actor(role)
    assert selectors.cycle_detail(actor, cycle.code) == cycle
    for params in REGISTRATION_FILTERS:
        ids = {"BODY": str(world.body.pk), "TOWN": str(world.collective.town_id)}
        filters = selectors.RegistrationFilters.from_query(
            {k: ids.get(v, v) for k, v in params.items()}
        )
        listed = selectors.registration_list(actor, cycle, filters)
        rows = selectors.registration_api_rows(actor, cycle, filters)
        assert [r["code"] for r in rows[0:100]] == [r.code for r in listed]
        assert [r["code"] for r in rows[1:3]] == [r.code for r in listed[1:3]]
        assert count_up_to(rows, 100) == listed.count()
        named = selectors.with_collective_names(rows[0:100])
        assert [(r["collective_code"], r["collective_name"]) for r in named] == [
            (r.collective.code, r.collective.name) for r in listed
        ]
        page_rows = selectors.registration_page_rows(actor, cycle, filters)
        assert list(page_rows[0:100]) == list(
            selectors._value_rows.build(actor, cycle.pk, filters, False)
        )


def test_a_cycle_out_of_reach_is_not_found(world: Any) -> None:
    draft = fc.cycle(phase=Phase.DRAFT)
    assert selectors.cycle_detail(world.actor("city_admin"), draft.code) == draft
    for role, code in (("body_admin", draft.code), ("reviewer", draft.code), ("city_admin", "X")):
        with pytest.raises(Http404):
            selectors.cycle_detail(world.actor(role), code)
