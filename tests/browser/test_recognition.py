"""The city publishes an approved typical case from its page; the public then sees it on a
phone — on the stories page, on the story's own page with its photo, and on the collective's
public page — and no longer sees it once withdrawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qnwmh.recognition import services
from tests import factories as f
from tests.evidence_files import jpeg, upload
from tests.phone import PHONE, assert_fits

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screens"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"recognition-{name}.png"), full_page=True)


def test_the_public_sees_a_published_story(live_server: Any, browser: Any, world: Any) -> None:
    base = live_server.url
    body, city = world.actor("body_admin"), world.actor("city_admin")
    story = services.story_create(
        body,
        collective=world.collective,
        heading="午间不打烊，便民服务有温度",
        summary="午间窗口轮值开放。",
        text="一、做法\n团员青年轮流值守。\n二、成效\n群众满意度明显提升。",
        photos=[upload("noon.jpg", jpeg((320, 240)), "image/jpeg")],
    )
    services.story_submit(body, story)
    services.story_approve(city, story)

    clerk = browser.new_context().new_page()
    clerk.goto(f"{base}/accounts/login/?next=/office/recognition/stories/{story.code}/")
    clerk.fill("input[name=username]", "city")
    clerk.fill("input[name=password]", f.PASSWORD)
    clerk.click("main button[type=submit]")
    clerk.wait_for_url(lambda url: "/accounts/login/" not in url)
    clerk.click("[data-testid=publish]")
    assert clerk.locator("[data-testid=status]").inner_text() == "已发布"

    phone = browser.new_context(**PHONE).new_page()
    phone.goto(f"{base}/stories/")
    assert_fits(phone)
    _shot(phone, "stories")
    phone.click("text=午间不打烊，便民服务有温度")
    phone.wait_for_url(f"**/stories/{story.code}/")
    assert "群众满意度明显提升" in phone.locator("[data-testid=story]").inner_text()
    image = phone.locator("[data-testid=story] img").first
    image.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert_fits(phone)
    _shot(phone, "story")

    phone.click(f"text={world.collective.name}")
    phone.wait_for_url(f"**/c/{world.collective.code}/")
    stories = phone.locator("[data-testid=collective-stories]")
    assert "午间不打烊，便民服务有温度" in stories.inner_text()
    assert_fits(phone)

    services.story_withdraw(city, story, reason="数据需核实。")
    phone.goto(f"{base}/stories/")
    assert "午间不打烊" not in phone.locator("[data-testid=stories]").inner_text()
    phone.goto(f"{base}/c/{world.collective.code}/")
    assert phone.locator("[data-testid=collective-stories]").count() == 0
