"""The city admin tries other weights in the what-if view (the movers across the cut are
marked, nothing saved), then freezes the shortlist from its confirm page — on a phone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from qnwmh.awards.models import EntryStatus, Shortlist
from qnwmh.awards.services import league_support
from tests import factories as f
from tests import factories_awards as fa
from tests.phone import PHONE, assert_fits


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_city_admin_runs_what_if_and_freezes(
    world: Any, live_server: Any, browser: Any
) -> None:
    r, apps = fa.scored_round([world.body, world.other_body], per_body=4)
    league_support.save(
        world.actor("city_admin"), apps[2], score=Decimal(30), reason="团建工作一般"
    )
    base = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(base + reverse("accounts:login"))
    page.fill("input[name=username]", world.users["city_admin"].username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto(base + reverse("awards:ranking", args=[r.code]))
    assert page.locator("[data-testid=caps] tbody tr").count() == 2
    page.locator("main a", has_text="模拟调整").click()
    page.fill("input[name=league_pct]", "50")
    page.fill("input[name=appraisal_pct]", "0")
    page.get_by_role("button", name="计算").click()
    page.wait_for_selector("[data-testid=comparison]")
    moved_in = page.locator("[data-testid=moved-in]")
    assert moved_in.count() == 1
    assert apps[2].collective.name in moved_in.inner_text()
    assert page.locator("[data-testid=moved-out]").count() == 1
    assert_fits(page)
    assert not Shortlist.objects.filter(round=r).exists()

    page.goto(base + reverse("awards:ranking", args=[r.code]))
    page.locator("[data-testid=freeze-link]").click()
    page.wait_for_url("**/freeze/")
    page.fill("textarea[name=note]", "经团市委研究确定")
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    page.get_by_role("button", name="确定拟认定名单").click()
    page.wait_for_url("**/shortlists/**")
    assert page.locator("[data-testid=entries-listed] tbody tr").count() == 4
    assert page.locator("[data-testid=entries-reserve] tbody tr").count() == 4
    shortlist = Shortlist.objects.get(round=r)
    assert shortlist.note == "经团市委研究确定"
    # Frozen under the cycle's rules, not the what-if weights tried before.
    assert shortlist.parameters["league_support_weight_pct"] == 10
    assert shortlist.entries.get(application=apps[2]).status == EntryStatus.RESERVE
    context.close()
