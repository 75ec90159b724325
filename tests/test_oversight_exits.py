"""Exits in the back office: recording a dissolution or merger (city; a revocation is refused
here), the plaque's recovery (dated, audited, never before the exit nor in the future), the
list scoped and filtered with a constant number of queries, and its Excel file."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.oversight.models import Exit, ExitKind
from qnwmh.oversight.services import exits
from qnwmh.oversight.services.exits_plaque import record_exit, record_plaque
from tests import factories_oversight as fo

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def city(world):
    return world.actor("city_admin")


def test_record_a_merger(world, city):
    t = fo.city_title(world.body)
    e = record_exit(city, title=t, kind=ExitKind.MERGED, reason="并入市民服务中心")
    t.refresh_from_db()
    assert t.status == TitleStatus.EXPIRED and e.kind == ExitKind.MERGED and not e.revoking
    with pytest.raises(DomainError, match="已登记退出"):
        record_exit(city, title=t, kind=ExitKind.DISSOLVED, reason="再次")


def test_revocation_is_not_recorded_by_hand(world, city):
    t = fo.city_title(world.body)
    with pytest.raises(DomainError, match="处理"):
        record_exit(city, title=t, kind=ExitKind.REVOKED, reason="撤销")
    t.refresh_from_db()
    assert t.status == TitleStatus.ACTIVE and not Exit.objects.exists()


def test_only_the_city_records(world):
    t = fo.city_title(world.body)
    with pytest.raises(PermissionDenied):
        record_exit(world.actor("body_admin"), title=t, kind=ExitKind.MERGED, reason="合并")


def test_plaque_recovery_is_dated_and_audited(world, city):
    t = fo.city_title(world.body)
    e = exits.end_title(
        city, title=t, kind=ExitKind.REVOKED, reason="撤销", on=TODAY() - datetime.timedelta(5)
    )
    with pytest.raises(DomainError, match="晚于今天"):
        record_plaque(city, e, on=TODAY() + datetime.timedelta(1))
    with pytest.raises(DomainError, match="早于退出日期"):
        record_plaque(city, e, on=TODAY() - datetime.timedelta(6))
    with pytest.raises(PermissionDenied):
        record_plaque(world.actor("body_admin"), e, on=TODAY())
    record_plaque(city, e, on=TODAY(), note="已由镇团委收回")
    e.refresh_from_db()
    assert (e.plaque_recovered_on, e.plaque_note) == (TODAY(), "已由镇团委收回")
    entry = AuditEntry.objects.get(code="oversight.exit.plaque_recovered")
    assert entry.after["plaque_note"] == "已由镇团委收回"


def test_pages_record_and_plaque(world):
    t = fo.city_title(world.body)
    c = world.client("city_admin")
    form = c.get(reverse("oversight:exit_record") + f"?title={t.code}")
    assert form.status_code == 200 and t.collective.name in form.content.decode()
    response = c.post(
        reverse("oversight:exit_record"),
        {"title": t.code.lower(), "kind": "dissolved", "reason": "单位撤销", "on": TODAY()},
    )
    e = Exit.objects.get(title=t)
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("oversight:exit", args=[e.code])
    )
    response = c.post(
        reverse("oversight:exit_record"),
        {"title": "NOSUCHCODE", "kind": "dissolved", "reason": "x", "on": TODAY()},
    )
    assert response.status_code == 200 and "没有找到" in response.content.decode()
    c.post(reverse("oversight:exit_plaque", args=[e.code]), {"on": TODAY(), "note": "已收回"})
    e.refresh_from_db()
    assert e.plaque_recovered_on == TODAY()
    html = c.get(reverse("oversight:exit", args=[e.code])).content.decode()
    assert "已收回" in html and "登记牌匾收回" in html


def test_list_is_scoped_and_filtered(world, city):
    mine = fo.city_title(world.body)
    theirs = fo.city_title(world.other_body)
    exits.end_title(city, title=mine, kind=ExitKind.REVOKED, reason="撤销")
    exits.end_title(city, title=theirs, kind=ExitKind.DISSOLVED, reason="撤并")
    body = world.client("body_admin").get(reverse("oversight:exits")).content.decode()
    assert mine.collective.name in body and theirs.collective.name not in body
    city_page = world.client("city_admin")
    html = city_page.get(reverse("oversight:exits") + "?kind=dissolved").content.decode()
    assert theirs.collective.name in html and mine.collective.name not in html
    html = city_page.get(reverse("oversight:exits") + f"?body={world.body.pk}").content.decode()
    assert mine.collective.name in html and theirs.collective.name not in html
    html = city_page.get(reverse("oversight:exits") + "?year=2001").content.decode()
    assert mine.collective.name not in html
    assert world.client("manager").get(reverse("oversight:exits")).status_code == 403
    other = Exit.objects.get(title=theirs)
    assert (
        world.client("body_admin").get(reverse("oversight:exit", args=[other.code])).status_code
        == 404
    )


def test_list_queries_do_not_grow(world, city):
    c = world.client("city_admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("oversight:exits")).status_code == 200
        return len(ctx.captured_queries)

    exits.end_title(city, title=fo.city_title(world.body), kind=ExitKind.REVOKED, reason="撤销")
    small = count()
    for _ in range(5):
        exits.end_title(city, title=fo.city_title(world.body), kind=ExitKind.MERGED, reason="并")
    assert count() == small


def test_export(world, city):
    t = fo.city_title(world.body)
    exits.end_title(city, title=t, kind=ExitKind.REVOKED, reason="违规")
    response = world.client("body_admin").get(reverse("oversight:exits_export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == t.collective.name and "违规" in rows[1]
    assert AuditEntry.objects.filter(code="oversight.exit.exported").exists()


def test_api_exits_and_standards(world, city):
    from tests.api.helpers import client_for

    api = client_for(world, "city_admin")

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(path, page_size=20)
        assert response.status_code == 200, response.content
        return len(ctx.captured_queries)

    exits.end_title(city, title=fo.city_title(world.body), kind=ExitKind.REVOKED, reason="撤销")
    fo.standard(2060)
    count("/oversight/exits")  # the first request also records the token's use
    small = count("/oversight/exits"), count("/oversight/standards")
    for i in range(4):
        exits.end_title(city, title=fo.city_title(world.body), kind=ExitKind.MERGED, reason="并")
        fo.standard(2061 + i)
    assert (count("/oversight/exits"), count("/oversight/standards")) == small
    t = fo.city_title(world.body)
    response = api.post(
        "/oversight/exits", {"title_code": t.code, "kind": "revoked", "reason": "撤销"}
    )
    assert response.status_code == 422  # only dissolution and merger are recorded here
    s = fo.standard(2070, frozen=True)
    response = api.patch(f"/oversight/standards/{s.code}", {"name": "改名"})
    assert response.status_code == 400 and "冻结" in response.json()["detail"]
    response = api.post("/oversight/standards", {"year": 2070, "based_on": s.code})
    assert response.status_code == 201 and response.json()["version"] == 2
    years = client_for(world, "anonymous").get("/oversight/revocations")
    assert years.status_code == 200 and years.json()[0]["count"] == 1
