"""Issue 10, public supervision: the filer's own secret (the handling body cannot answer as the
complainant), ratings bounded per address and day on the server, complaints past the
per-collective cap accepted and held for review (staff told), one message per handling action."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from ninja.testing import TestClient

from qnwmh.audit.models import AuditEntry
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.supervision import services as s
from qnwmh.supervision.api import router
from qnwmh.supervision.models import Complaint, Rating, Status
from tests import supervision_builders as sb

PUBLIC = Actor(user=None, ip="203.0.113.5")
FORM = {"kind": "complaint", "category": "attitude", "text": "窗口人员玩手机。"}


def _file(world: Any, ip: str = "203.0.113.5") -> Complaint:
    return s.complaint_file(
        Actor(user=None, ip=ip),
        collective=world.collective,
        kind="complaint",
        category="attitude",
        text="窗口人员态度生硬。",
    )


def _reply(world: Any, c: Complaint) -> Complaint:
    body = world.actor("body_admin")
    c = s.complaint_acknowledge(body, complaint=c)
    c = s.complaint_investigate(body, complaint=c)
    return s.complaint_reply(body, complaint=c, reply="已处理", findings="属实")


# Item 4: the filer's secret ---------------------------------------------------------------


def test_filing_gives_a_secret_stored_only_hashed(world):
    c = _file(world)
    secret = c.filer_secret
    assert secret and len(secret) >= 12
    stored = Complaint.objects.get(pk=c.pk).filer_secret_hash
    assert stored and stored != secret and secret not in stored
    assert Complaint.objects.get(pk=c.pk).filer_secret_matches(secret)
    assert not Complaint.objects.get(pk=c.pk).filer_secret_matches(c.code)
    entries = AuditEntry.objects.filter(object_id=str(c.pk))
    assert all(secret not in f"{e.before}{e.after}{e.data}" for e in entries)


def test_staff_knowing_the_tracking_code_cannot_post_feedback(world):
    c = _file(world)
    secret = c.filer_secret
    c = _reply(world, c)
    staff = world.client("body_admin")
    # The back office shows the tracking code, never the secret.
    detail = staff.get(reverse("supervision:detail", args=[c.code])).content.decode()
    assert c.code in detail and secret not in detail
    listing = staff.get(reverse("supervision:list")).content.decode()
    assert secret not in listing
    url = reverse("supervision_public:track_feedback", args=[c.code])
    staff.post(url, {"satisfied": "yes"})
    staff.post(url, {"satisfied": "yes", "secret": c.code})
    c.refresh_from_db()
    assert c.status == Status.REPLIED and c.satisfied is None
    with pytest.raises(DomainError):
        s.complaint_feedback(world.actor("body_admin"), complaint=c, secret="", satisfied=True)
    with pytest.raises(DomainError):
        s.complaint_feedback(world.actor("body_admin"), complaint=c, secret=c.code, satisfied=True)
    # The filer with the secret can.
    r = Client().post(url, {"satisfied": "yes", "secret": secret})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.satisfied is True


def test_track_page_needs_the_secret_for_private_details(world):
    client = Client()
    r = client.post(reverse("supervision_public:feedback", args=[world.collective.code]), FORM)
    c = Complaint.objects.get()
    page = client.get(r["Location"]).content.decode()
    secret = re.search(r'data-testid="filer-secret">([^<]+)<', page).group(1).strip()
    assert c.filer_secret_matches(secret) and "窗口人员玩手机" in page
    # Nothing on the server keeps it in clear (it reached the page in the filer's own cookie).
    from django.contrib.sessions.models import Session

    assert all(secret not in str(x.get_decoded()) for x in Session.objects.all())
    assert not Complaint.objects.filter(filer_secret_hash__contains=secret).exists()
    track = reverse("supervision_public:track", args=[c.code])
    # Shown once: the code alone gives the status, not the text, the reply or the secret.
    again = client.get(track).content.decode()
    assert secret not in again and "窗口人员玩手机" not in again and "查询密码" in again
    c = _reply(world, c)
    public = Client().get(track).content.decode()
    assert "已处理" not in public and 'name="satisfied"' not in public
    wrong = Client().post(track, {"secret": "WRONGWRONGWR"})
    assert wrong.status_code == 403 and "已处理" not in wrong.content.decode()
    private = Client().post(track, {"secret": secret.lower()})
    html = private.content.decode()
    assert private.status_code == 200 and "已处理" in html and 'name="satisfied"' in html
    assert private["Cache-Control"] == "no-store"


def test_guessing_secrets_is_slowed_down(world):
    c = _file(world)
    track = reverse("supervision_public:track", args=[c.code])
    client = Client(REMOTE_ADDR="198.51.100.50")
    codes = [client.post(track, {"secret": f"GUESS{i:07d}"}).status_code for i in range(31)]
    assert codes == [403] * 30 + [429]
    # Only wrong guesses are counted: the filer with the right secret still gets in.
    assert client.post(track, {"secret": c.filer_secret}).status_code == 200


def test_complaints_without_a_secret_cannot_be_answered_by_anyone(world):
    old = sb.complaint(world.collective, status=Status.REPLIED, findings="属实", reply="已整改")
    assert old.filer_secret_hash == ""
    assert not old.filer_secret_matches("")
    Client().post(
        reverse("supervision_public:track_feedback", args=[old.code]),
        {"satisfied": "yes", "secret": ""},
    )
    old.refresh_from_db()
    assert old.status == Status.REPLIED
    page = Client().get(reverse("supervision_public:track", args=[old.code])).content.decode()
    assert "未设置查询密码" in page


def test_api_secret_returned_once_and_required(world):
    api = TestClient(router)
    created = api.post(
        "/requests",
        json={
            "collective_code": world.collective.code,
            "service_code": "complaint.attitude",
            "description": "等候时间太长。",
        },
    )
    assert created.status_code == 201
    secret = created.json()["filer_secret"]
    code = created.json()["service_request_id"]
    c = Complaint.objects.get(code=code)
    assert c.filer_secret_hash != secret and c.filer_secret_matches(secret)
    public = api.get(f"/requests/{code}").json()
    assert public["status"] == "received" and public["description"] == ""
    assert "filer_secret" not in public
    assert api.get(f"/requests/{code}", headers={"X-Filer-Secret": "NOPE"}).status_code == 403
    private = api.get(f"/requests/{code}", headers={"X-Filer-Secret": secret}).json()
    assert private["description"] == "等候时间太长。"
    _reply(world, c)
    url = f"/requests/{code}/feedback"
    refused = api.post(url, json={"secret": code, "satisfied": True})
    assert refused.status_code == 403
    assert Complaint.objects.get(pk=c.pk).status == Status.REPLIED
    done = api.post(url, json={"secret": secret, "satisfied": False, "comment": "没解决"})
    assert done.status_code == 200 and done.json()["status"] == Status.INVESTIGATING


# Item 5: ratings bounded per address and day ----------------------------------------------


def test_five_ratings_from_one_address_without_cookie_count_once(world):
    url = reverse("supervision_public:rate", args=[world.collective.code])
    answers = []
    for i in range(5):
        client = Client(HTTP_USER_AGENT=f"agent-{i}")  # no cookie, a new agent each time
        answers.append(client.post(url, {"stars": 5}, follow=True).content.decode())
    assert Rating.objects.filter(collective=world.collective).count() == 1
    assert "感谢您的评价" in answers[0]
    assert all("今天已有人从您所在的网络评价过该集体" in a for a in answers[1:])
    # Another address the same day is counted; the address is not stored in clear.
    Client(REMOTE_ADDR="198.51.100.7").post(url, {"stars": 3})
    assert Rating.objects.filter(collective=world.collective).count() == 2
    assert not Rating.objects.filter(address__contains="127.0.0.1").exists()
    assert not Rating.objects.filter(address__contains="198.51.100.7").exists()


def test_rating_address_bound_is_per_collective(world):
    s.rating_add(PUBLIC, collective=world.collective, stars=4, comment="", device="a" * 64)
    s.rating_add(PUBLIC, collective=world.other_collective, stars=4, comment="", device="a" * 64)
    with pytest.raises(DomainError, match="您所在的网络"):
        s.rating_add(PUBLIC, collective=world.collective, stars=1, comment="", device="b" * 64)
    assert Rating.objects.count() == 2


# Item 6: past the per-collective cap, accept and hold for review --------------------------


def test_past_the_collective_cap_complaints_are_held_and_staff_told(world, settings):
    cap = s.LIMITS["complaints_per_collective"][0]
    per_ip = s.LIMITS["complaints_per_ip"][0]
    for i in range(cap):
        c = _file(world, ip=f"192.0.2.{i // per_ip}")
        assert not c.held_for_review
    assert Notice.objects.count() == 0
    client = Client(REMOTE_ADDR="198.51.100.99")  # a fresh address
    r = client.post(reverse("supervision_public:feedback", args=[world.collective.code]), FORM)
    assert r.status_code == 302
    held = Complaint.objects.order_by("-id").first()
    assert r["Location"] == reverse("supervision_public:track", args=[held.code])
    assert held.held_for_review and held.status == Status.RECEIVED
    told = set(Notice.objects.values_list("recipient__username", flat=True))
    assert {"bodyadmin", "city"} <= told
    assert "outsider" not in told
    # More held complaints in the same hour do not flood the staff with notices.
    notices = Notice.objects.count()
    another = _file(world, ip="198.51.100.100")
    assert another.held_for_review and Notice.objects.count() == notices
    # Staff find them on the list.
    page = world.client("body_admin").get(reverse("supervision:list") + "?state=held")
    assert held.code[:6] in page.content.decode()
    # The per-address limit still holds.
    for _ in range(per_ip - 1):
        _file(world, ip="198.51.100.100")
    with pytest.raises(DomainError, match="频繁"):
        _file(world, ip="198.51.100.100")


def test_api_intake_past_the_cap_is_accepted(world, settings):
    settings.SUPERVISION_LIMITS = {}
    s.LIMITS["complaints_per_collective"], saved = (1, 3600), s.LIMITS["complaints_per_collective"]
    try:
        _file(world, ip="192.0.2.1")
        api = TestClient(router)
        created = api.post(
            "/requests",
            json={
                "collective_code": world.collective.code,
                "service_code": "complaint.attitude",
                "description": "又一件。",
            },
        )
        assert created.status_code == 201
        assert Complaint.objects.get(code=created.json()["service_request_id"]).held_for_review
    finally:
        s.LIMITS["complaints_per_collective"] = saved


# Item 26: each action says what it did ----------------------------------------------------


def test_each_action_answers_its_own_message(world):
    c = sb.complaint(world.collective)
    client = world.client("body_admin")

    def act(action: str, **data: Any) -> str:
        r = client.post(reverse("supervision:act", args=[c.code, action]), data, follow=True)
        return r.content.decode()

    assert "已受理。" in act("acknowledge")
    handler = world.users["body_admin"]
    assert f"已指派给 {handler.display_name or handler.username}。" in act(
        "assign", handler=handler.pk
    )
    assert "已开始调查。" in act("investigate")
    assert "已责令整改。" in act("rectify", findings="属实", rectification="整改")
    assert "已答复投诉人。" in act("reply", reply="已处理")
    assert "已办结。" in act("close")
    assert "已屏蔽内容。" in act("hide", reason="辱骂")
    assert "已取消屏蔽。" in act("show")
    assert "已保存。" not in act("show")
