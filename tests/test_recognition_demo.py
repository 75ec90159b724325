"""Recognition's demo on the world (its collective bears the demo collective's name): two
rewards, one honorary from the city tied to a title and one material from the body; one story
published with its photos, one awaiting the city's approval; and without the demo's accounts
the builder does nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qnwmh.core.demo_context import DemoContext
from qnwmh.recognition import demo
from qnwmh.recognition.models import Reward, RewardKind, Story, StoryStatus

pytestmark = pytest.mark.django_db


def test_the_demo_records_two_rewards_and_two_stories(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    users = {"city_admin": world.users["city_admin"], "shiqi_admin": world.users["body_admin"]}
    with django_capture_on_commit_callbacks(execute=True):
        demo.build(DemoContext(users=users))

    rewards = {r.kind: r for r in Reward.objects.all()}
    assert set(rewards) == {RewardKind.HONORARY, RewardKind.MATERIAL}
    assert rewards[RewardKind.HONORARY].title == world.title
    assert rewards[RewardKind.MATERIAL].amount is not None

    published = Story.objects.get(status=StoryStatus.PUBLISHED)
    assert published.photos.count() == 2
    assert Story.objects.filter(status=StoryStatus.SUBMITTED).count() == 1
    page = world.client("anonymous").get(reverse("recognition_public:stories"))
    assert published.heading in page.content.decode()


def test_without_the_demo_accounts_the_builder_does_nothing(world: Any) -> None:
    demo.build(DemoContext(users={}))
    assert not Reward.objects.exists() and not Story.objects.exists()
