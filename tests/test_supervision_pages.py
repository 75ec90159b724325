"""Public and back-office supervision pages: CSRF on the anonymous form, the filer's identity
never on a public page or public API answer (crawl with planted values), escaping, masked
export, filters, and the same query count at two data sizes."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.testing import TestClient
from openpyxl import load_workbook

from qnwmh.supervision import services
from qnwmh.supervision.api import router
from qnwmh.supervision.models import Complaint, Rating, Status
from tests import supervision_builders as sb


def feedback_url(world: Any) -> str:
    return reverse("supervision_public:feedback", args=[world.collective.code])


FORM = {
    "kind": "complaint",
    "category": "attitude",
    "text": "窗口人员玩手机。",
    "filer_name": sb.PLANTED_NAME,
    "filer_phone": sb.PLANTED_PHONE,
}


def test_csrf_enforced_on_anonymous_form(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(feedback_url(world), FORM).status_code == 403
    assert Complaint.objects.count() == 0
    page = client.get(feedback_url(world))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(feedback_url(world), {**FORM, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_filing_shows_tracking_code_once_then_track_page(world):
    client = Client()
    response = client.post(feedback_url(world), {**FORM, "photos": [sb.upload()]})
    c = Complaint.objects.get()
    assert response["Location"] == reverse("supervision_public:track", args=[c.code])
    assert c.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert c.code in page and "提交成功" in page and 'data-testid="filer-secret"' in page
    again = client.get(response["Location"])
    assert "提交成功" not in again.content.decode()
    assert again["Cache-Control"] == "no-store" and again["Referrer-Policy"] == "same-origin"


def test_bad_input_gives_chinese_message_not_500(world):
    client = Client()
    r = client.post(feedback_url(world), {**FORM, "text": ""})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    r = client.post(feedback_url(world), {**FORM, "photos": [sb.upload("x.png", b"GIF89a....")]})
    assert r.status_code == 400 and "不支持该文件类型" in r.content.decode()
    r = client.post(feedback_url(world), {**FORM, "kind": "zzz"})
    assert r.status_code == 400
    assert Client().get("/track/NOSUCHCODE/").status_code == 404
    assert Client().get(reverse("supervision_public:feedback", args=["NOPE"])).status_code == 404


def test_rate_limit_on_the_page(world):
    client = Client()
    limit = services.LIMITS["complaints_per_ip"][0]
    codes = [client.post(feedback_url(world), FORM).status_code for _ in range(limit + 1)]
    assert codes == [302] * limit + [429]
    assert Complaint.objects.count() == limit


def test_text_is_escaped_back_to_the_filer(world):
    c = sb.complaint(world.collective, text='<script>alert("x")</script><b>粗</b>')
    secret = sb.with_secret(c)
    url = reverse("supervision_public:track", args=[c.code])
    page = Client().post(url, {"secret": secret}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>粗</b>" not in page


def test_hidden_text_not_shown_to_public(world):
    c = sb.complaint(world.collective, text="脏话脏话", text_hidden=True, hidden_reason="辱骂")
    secret = sb.with_secret(c)
    url = reverse("supervision_public:track", args=[c.code])
    page = Client().post(url, {"secret": secret}).content.decode()
    assert "脏话脏话" not in page and "已屏蔽" in page
    staff = (
        world.client("body_admin")
        .get(reverse("supervision:detail", args=[c.code]))
        .content.decode()
    )
    assert "脏话脏话" in staff  # the original stays for the handling body


def test_rating_once_per_device_cookie(world):
    client = Client()
    client.get(feedback_url(world))  # sets the device cookie
    url = reverse("supervision_public:rate", args=[world.collective.code])
    client.post(url, {"stars": 5, "comment": "好"})
    r = client.post(url, {"stars": 1}, follow=True)
    assert "今天已经评价过" in r.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.2")  # another device on another network
    other.get(feedback_url(world))
    other.post(url, {"stars": 3})
    assert sorted(Rating.objects.values_list("stars", flat=True)) == [3, 5]


def test_tracking_feedback_unsatisfied_reopens(world):
    c = sb.complaint(world.collective, status=Status.REPLIED, findings="属实", reply="已整改")
    Complaint.objects.filter(pk=c.pk).update(replied_at=c.received_at)
    secret = sb.with_secret(c)
    client = Client()
    url = reverse("supervision_public:track_feedback", args=[c.code])
    client.post(url, {"satisfied": "maybe", "secret": secret})
    assert Complaint.objects.get(pk=c.pk).status == Status.REPLIED
    client.post(url, {"satisfied": "no", "secret": secret})
    c.refresh_from_db()
    assert c.status == Status.INVESTIGATING and c.city_review
    city = world.client("city_admin").get(reverse("supervision:list") + "?state=city_review")
    assert c.code[:6] in city.content.decode()


def test_reopened_complaint_is_handled_by_the_city_only(world):
    """Once the filer reopens a complaint, the handling body is refused (403) and sees no
    handling buttons; city staff still handle it."""
    c = sb.complaint(world.collective, status=Status.INVESTIGATING, city_review=True)
    reply = reverse("supervision:act", args=[c.code, "reply"])
    body = world.client("body_admin")
    assert body.post(reply, {"reply": "再答复", "findings": "属实"}).status_code == 403
    assert (
        "/act/reply/" not in body.get(reverse("supervision:detail", args=[c.code])).content.decode()
    )
    city = world.client("city_admin")
    assert "/act/reply/" in city.get(reverse("supervision:detail", args=[c.code])).content.decode()
    assert city.post(reply, {"reply": "复查答复", "findings": "属实"}).status_code == 302
    assert Complaint.objects.get(pk=c.pk).status == Status.REPLIED


def _plant(world: Any) -> list[Complaint]:
    out = [
        sb.complaint(world.collective, status=st, reply="答复", findings="属实")
        for st in Status.values
    ]
    out.append(sb.complaint(world.collective, text_hidden=True))
    Client().post(feedback_url(world), FORM)
    out.append(Complaint.objects.order_by("-id").first())
    return out


def test_crawl_public_pages_and_api_for_planted_identity(world):
    complaints = _plant(world)
    client = Client()
    seen: set[str] = set()
    queue = [feedback_url(world), reverse("supervision_public:track_lookup"), "/"]
    queue += [reverse("supervision_public:track", args=[c.code]) for c in complaints]
    bodies = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        html = response.content.decode(errors="replace")
        bodies.append(html)
        for link in re.findall(r'href="(/(?:c|track)/[^"#?]*)"', html):
            queue.append(link)
    api = TestClient(router)
    bodies.append(api.get("/services").content.decode())
    for c in complaints:
        bodies.append(api.get(f"/requests/{c.code}").content.decode())
    assert len(seen) >= len(complaints) + 2
    for body in bodies:
        assert sb.PLANTED_NAME not in body and sb.PLANTED_PHONE not in body
        assert sb.PLANTED_PHONE[-4:] + "<" not in body


def test_identity_only_for_handling_body_and_city(world):
    c = sb.complaint(world.collective)
    url = reverse("supervision:detail", args=[c.code])
    for role in ("body_admin", "city_admin"):
        assert sb.PLANTED_PHONE in world.client(role).get(url).content.decode()
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("manager").get(url).status_code == 404


def test_export_is_masked(world):
    _plant(world)
    r = world.client("city_admin").get(reverse("supervision:export"))
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [str(v) for row in wb.active.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(sb.PLANTED_PHONE in v or sb.PLANTED_NAME in v for v in cells)
    assert "139****1111" in cells and "欧***" in cells


def test_list_filters(world):
    overdue = sb.complaint(world.collective, days_ago=40, status=Status.INVESTIGATING)
    Complaint.objects.filter(pk=overdue.pk).update(finish_due="2020-01-01")
    fresh = sb.complaint(world.collective, category="efficiency")
    client = world.client("city_admin")
    page = client.get(reverse("supervision:list") + "?state=overdue").content.decode()
    assert overdue.code[:6] in page and fresh.code[:6] not in page
    page = client.get(reverse("supervision:list") + "?category=efficiency").content.decode()
    assert fresh.code[:6] in page and overdue.code[:6] not in page
    page = client.get(reverse("supervision:list") + f"?town={world.other_town.pk}").content.decode()
    assert fresh.code[:6] not in page
    figures = client.get(reverse("supervision:figures")).content.decode()
    assert world.town.name in figures and "办事效率" in figures


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name,args",
    [
        ("supervision:list", None),
        ("supervision:figures", None),
        ("supervision:export", None),
        ("supervision:collective", "collective"),
    ],
)
def test_query_count_does_not_grow(world, name, args):
    url = reverse(name, args=[world.collective.code] if args else None)
    client = world.client("city_admin")
    for _ in range(3):
        sb.complaint(world.collective, handler=world.users["body_admin"])
    _queries(client, url)  # the first view keeps the filter bar's options (collectives.facets)
    small = _queries(client, url)
    for i in range(20):
        sb.complaint(
            world.collective if i % 2 else world.other_collective, handler=world.users["city_admin"]
        )
    assert _queries(client, url) == small
