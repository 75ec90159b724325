"""Recognition, told as its users live it: a body writes a typical case with photos, the city
returns it, the body fixes and resubmits it, the city approves and publishes it, the public
reads it (photos included) on the stories page and the collective's page, and the city
withdraws it. Rewards are recorded by the city and by the collective's body, and withdrawn
with a reason. Bad input — publishing a story that is not approved, a reward on another
collective's title — is refused with a clear message and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from qnwmh.audit.selectors import history_of
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.recognition import services
from qnwmh.recognition.models import Reward, RewardKind, RewardStatus, Story, StoryStatus
from tests import factories as f
from tests import factories_recognition as fr
from tests.evidence_files import jpeg, upload
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _photo(name: str = "p.jpg") -> Any:
    return upload(name, jpeg(gps=True), "image/jpeg")


def _write(w: Any, **kwargs: Any) -> Story:
    return services.story_create(
        w.actor("body_admin"),
        collective=w.collective,
        heading="午间不打烊",
        summary="午间窗口轮值开放。",
        text="一、做法\n轮班值守。",
        **kwargs,
    )


def test_a_story_from_draft_to_the_public_site_and_back(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body, city = world.actor("body_admin"), world.actor("city_admin")
    with django_capture_on_commit_callbacks(execute=True):
        story = _write(world, photos=[_photo()])
        services.story_submit(body, story)
    assert Notice.objects.filter(
        recipient=world.users["city_admin"], code="recognition.story.submitted"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.story_return(city, story, reason="请补充服务数据。")
    story.refresh_from_db()
    assert (story.status, story.note) == (StoryStatus.RETURNED, "请补充服务数据。")
    assert Notice.objects.filter(
        recipient=world.users["body_admin"], code="recognition.story.returned"
    ).exists()

    services.story_update(
        body, story, heading="午间不打烊", text="一、做法\n轮班值守。\n二、成效\n满意度提升。"
    )
    services.story_submit(body, story)
    services.story_approve(city, story)
    with django_capture_on_commit_callbacks(execute=True):
        services.story_publish(city, story)
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED and story.published_at is not None
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="recognition.story.published"
    ).exists()

    anonymous = world.client("anonymous")
    listing = anonymous.get(reverse("recognition_public:stories"))
    assert "午间不打烊" in listing.content.decode()
    page = anonymous.get(reverse("recognition_public:story", args=[story.code]))
    assert "满意度提升" in page.content.decode()
    photo = story.photos.get()
    served = anonymous.get(reverse("recognition_public:photo", args=[story.code, photo.code]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"GPS" not in b"".join(served.streaming_content)  # re-encoded without metadata
    # Withdrawing must take the photo off at once: no shared cache may keep serving it.
    cache = {v.strip() for v in served["Cache-Control"].split(",")}
    assert {"no-cache", "private"} <= cache and "public" not in cache
    collective_page = anonymous.get(reverse("public:collective", args=[world.collective.code]))
    assert (
        reverse("recognition_public:story", args=[story.code]) in collective_page.content.decode()
    )

    services.story_withdraw(city, story, reason="案例数据需核实。")
    assert anonymous.get(reverse("recognition_public:story", args=[story.code])).status_code == 404
    assert (
        anonymous.get(
            reverse("recognition_public:photo", args=[story.code, photo.code])
        ).status_code
        == 404
    )
    assert "午间不打烊" not in anonymous.get(reverse("recognition_public:stories")).content.decode()
    codes = [e.code for e in history_of(story)]
    assert codes == [
        "recognition.story.created",
        "recognition.story.submitted",
        "recognition.story.returned",
        "recognition.story.updated",
        "recognition.story.submitted",
        "recognition.story.approved",
        "recognition.story.published",
        "recognition.story.withdrawn",
    ]
    # Withdrawn, not gone: the city may publish it again.
    services.story_publish(city, story)
    assert anonymous.get(reverse("recognition_public:story", args=[story.code])).status_code == 200


@pytest.mark.parametrize("status", [StoryStatus.DRAFT, StoryStatus.SUBMITTED, StoryStatus.RETURNED])
def test_publishing_a_story_that_is_not_approved_is_refused_and_changes_nothing(
    world: Any, status: str
) -> None:
    story = fr.story(world.collective, world.users["body_admin"], status=status)
    with pytest.raises(DomainError, match="只有审核通过的典型案例才能发布"):
        services.story_publish(world.actor("city_admin"), story)
    story.refresh_from_db()
    assert story.status == status and story.published_at is None
    assert not history_of(story).exists()


def test_publishing_from_the_page_shows_the_message_and_changes_nothing(world: Any) -> None:
    story = fr.story(world.collective, world.users["body_admin"], status=StoryStatus.SUBMITTED)
    client = world.client("city_admin")
    response = client.post(reverse("recognition:story_publish", args=[story.code]), follow=True)
    assert "只有审核通过的典型案例才能发布" in response.content.decode()
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_a_return_and_a_withdrawal_need_a_reason(world: Any) -> None:
    city = world.actor("city_admin")
    story = fr.story(world.collective, world.users["body_admin"], status=StoryStatus.SUBMITTED)
    with pytest.raises(DomainError, match="请填写理由"):
        services.story_return(city, story, reason="  ")
    response = world.client("city_admin").post(
        reverse("recognition:story_return", args=[story.code]), {"reason": ""}
    )
    assert response.status_code == 400
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_only_drafts_and_returned_stories_are_edited(world: Any) -> None:
    story = fr.story(world.collective, world.users["body_admin"], status=StoryStatus.APPROVED)
    with pytest.raises(DomainError, match="只有草稿或已退回"):
        services.story_update(world.actor("body_admin"), story, heading="改", text="改")
    story.refresh_from_db()
    assert story.heading == "窗口延时服务温暖群众"


def test_a_story_takes_images_only_and_keeps_nothing_of_a_refused_upload(world: Any) -> None:
    from qnwmh.evidence.models import EvidenceFile

    pdf = upload("a.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    with pytest.raises(DomainError):
        _write(world, photos=[_photo(), pdf])
    assert not Story.objects.exists() and not EvidenceFile.objects.exists()


def test_the_city_does_not_write_and_the_body_does_not_decide(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.story_create(
            world.actor("city_admin"), collective=world.collective, heading="x", text="y"
        )
    story = fr.story(world.collective, world.users["body_admin"], status=StoryStatus.APPROVED)
    with pytest.raises(PermissionDenied):
        services.story_publish(world.actor("body_admin"), story)


def test_managers_see_their_collectives_stories_once_submitted(world: Any) -> None:
    draft = fr.story(world.collective, world.users["body_admin"])
    sent = fr.story(world.collective, world.users["body_admin"], status=StoryStatus.SUBMITTED)
    page = world.client("manager").get(reverse("recognition:stories")).content.decode()
    assert reverse("recognition:story", args=[sent.code]) in page
    assert reverse("recognition:story", args=[draft.code]) not in page


# Rewards ----------------------------------------------------------------------------------------


def test_the_city_and_the_body_record_rewards_and_withdraw_them_with_a_reason(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client("body_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("recognition:reward_new"),
            {
                "collective": world.collective.pk,
                "title_code": world.title.code,
                "kind": RewardKind.MATERIAL,
                "name": "服务之星奖励",
                "basis": "年度群众评议第一。",
                "decision_number": "石团〔2026〕8号",
                "decided_on": "2026-03-01",
                "decided_by_org": "共青团中山市石岐街道工作委员会",
                "amount": "2000",
            },
        )
    reward = Reward.objects.get()
    assert response.status_code == 302
    assert (reward.title, reward.amount) == (world.title, Decimal("2000.00"))
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="recognition.reward.recorded"
    ).exists()

    page = world.client("manager").get(reverse("collectives:detail", args=[world.collective.code]))
    assert "服务之星奖励" in page.content.decode()

    url = reverse("recognition:reward_withdraw", args=[reward.code])
    asked = client.post(url, {"reason": "文号有误。"})
    reward.refresh_from_db()
    assert asked.status_code == 200 and reward.status == RewardStatus.RECORDED  # asked first
    assert 'name="confirmed"' in asked.content.decode()
    response = client.post(url, {"reason": "文号有误。", "confirmed": "1"})
    reward.refresh_from_db()
    assert reward.status == RewardStatus.WITHDRAWN and reward.withdrawn_reason == "文号有误。"
    assert [e.code for e in history_of(reward)] == [
        "recognition.reward.recorded",
        "recognition.reward.withdrawn",
    ]
    with pytest.raises(DomainError):
        services.reward_withdraw(world.actor("city_admin"), reward, reason="再次撤销。")


def test_a_body_may_not_withdraw_a_reward_the_city_recorded(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    reward = _record(world)
    assert reward.recorded_by_city
    body = world.actor("body_admin")
    with pytest.raises(PermissionDenied):
        services.reward_withdraw(body, reward, reason="文号有误。")
    client = world.client("body_admin")
    page = client.get(reverse("recognition:reward", args=[reward.code])).content.decode()
    assert 'data-testid="withdraw"' not in page
    url = reverse("recognition:reward_withdraw", args=[reward.code])
    assert client.post(url, {"reason": "文号有误。", "confirmed": "1"}).status_code == 403
    reward.refresh_from_db()
    assert reward.status == RewardStatus.RECORDED


def _record(w: Any, **kwargs: Any) -> Reward:
    values: dict[str, Any] = {
        "collective": w.collective,
        "kind": RewardKind.HONORARY,
        "name": "优秀集体",
        "basis": "成效突出。",
        "decision_number": "中团发〔2026〕1号",
        "decided_on": datetime.date(2026, 1, 5),
        "decided_by_org": "共青团中山市委员会",
        **kwargs,
    }
    return services.reward_record(w.actor("city_admin"), **values)


def test_a_reward_refuses_bad_input_and_keeps_nothing(world: Any) -> None:
    other_title = f.title(world.other_collective)
    with pytest.raises(DomainError, match="所选称号不属于该集体"):
        _record(world, title=other_title)
    with pytest.raises(DomainError, match="只有物质奖励可填写金额"):
        _record(world, amount=Decimal("100"))
    with pytest.raises(DomainError, match="请填写决定文号"):
        _record(world, decision_number=" ")
    with pytest.raises(DomainError, match="决定日期不能晚于今天"):
        _record(world, decided_on=datetime.date.today() + datetime.timedelta(days=2))
    assert not Reward.objects.exists()


def test_a_body_records_only_for_its_own_collectives(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reward_record(
            world.actor("outsider"),
            collective=world.collective,
            kind=RewardKind.HONORARY,
            name="x",
            basis="y",
            decision_number="z",
            decided_on=datetime.date(2026, 1, 5),
            decided_by_org="w",
        )


def test_the_rewards_list_filters_and_exports(world: Any) -> None:
    city = world.users["city_admin"]
    fr.reward(world.collective, city, name="荣誉甲")
    fr.reward(world.collective, city, name="物质乙", kind=RewardKind.MATERIAL)
    client = world.client("city_admin")
    page = client.get(reverse("recognition:rewards"), {"kind": "material"}).content.decode()
    assert "物质乙" in page and "荣誉甲" not in page
    xlsx = client.get(reverse("recognition:rewards"), {"format": "xlsx", "kind": "material"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


# Query counts -----------------------------------------------------------------------------------


def test_lists_and_pages_cost_the_same_queries_at_any_size(world: Any) -> None:
    city, body = world.users["city_admin"], world.users["body_admin"]
    client = world.client("city_admin")
    anonymous = world.client("anonymous")

    def grow() -> None:
        for _ in range(3):
            fr.reward(world.collective, city)
            fr.story(world.collective, body, status=StoryStatus.PUBLISHED)

    assert_constant_queries(lambda: client.get(reverse("recognition:rewards")), grow)
    assert_constant_queries(lambda: client.get(reverse("recognition:stories")), grow)
    assert_constant_queries(lambda: anonymous.get(reverse("recognition_public:stories")), grow)
    code = world.collective.code
    assert_constant_queries(lambda: anonymous.get(reverse("public:collective", args=[code])), grow)
    assert_constant_queries(lambda: client.get(reverse("collectives:detail", args=[code])), grow)


def test_the_collective_page_links_to_a_form_with_the_collective_picked(world: Any) -> None:
    client = world.client("body_admin")
    page = client.get(reverse("collectives:detail", args=[world.collective.code])).content.decode()
    link = f"{reverse('recognition:story_new')}?collective={world.collective.code}"
    assert link in page
    form = client.get(link).content.decode()
    assert f'<option value="{world.collective.pk}" selected' in form
    # Another body's collective is not offered, and not picked from the query string.
    other = client.get(
        f"{reverse('recognition:reward_new')}?collective={world.other_collective.code}"
    ).content.decode()
    assert world.other_collective.name not in other


def test_the_home_page_asks_the_city_to_approve_and_the_body_to_revise(world: Any) -> None:
    from qnwmh.core.home import tasks_for

    fr.story(world.collective, world.users["body_admin"], status=StoryStatus.SUBMITTED)
    fr.story(world.collective, world.users["body_admin"], status=StoryStatus.RETURNED)

    def counts(role: str) -> dict[str, int | None]:
        return {str(t.title): t.count for t in tasks_for(world.actor(role))}

    assert counts("city_admin")["待审核的典型案例"] == 1
    assert counts("body_admin")["被退回修改的典型案例"] == 1
    assert "被退回修改的典型案例" not in counts("outsider")


def test_a_story_leaves_the_public_site_with_its_collective(world: Any) -> None:
    """A collective the public site no longer shows (archived, never titled) takes its
    published stories off the stories page and the public API too."""
    from qnwmh.collectives.models import CollectiveStatus
    from tests.api.helpers import client_for

    collective = f.collective(world.body)
    story = fr.story(collective, world.users["body_admin"], status=StoryStatus.PUBLISHED)
    anonymous, api = world.client("anonymous"), client_for(world, "anonymous")
    page = reverse("recognition_public:story", args=[story.code])
    assert anonymous.get(page).status_code == 200
    assert story.heading in anonymous.get(reverse("recognition_public:stories")).content.decode()

    collective.status = CollectiveStatus.ARCHIVED
    collective.save(update_fields=["status"])
    assert anonymous.get(page).status_code == 404
    assert (
        story.heading not in anonymous.get(reverse("recognition_public:stories")).content.decode()
    )
    listed = api.request("get", "/recognition/public/stories").json()["results"]
    assert story.code not in [s["code"] for s in listed]
    assert api.request("get", f"/recognition/public/stories/{story.code}").status_code == 404
