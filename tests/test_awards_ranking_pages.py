"""The ranking pages: the live ranking (city-wide, per body with its cut line, a body admin's
own rows only), what-if side by side (nothing saved), freezing, the shortlist with move-up,
league support entry, the Excel export; list pages cost a constant number of queries."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import EntryStatus, LeagueSupport, RemovalKind, Shortlist
from qnwmh.awards.services import entries, league_support
from qnwmh.awards.services.ranking import freeze
from qnwmh.certification.models import ApplicationResult, ApplicationStatus, RoundStatus
from tests import factories as f
from tests import factories_awards as fa
from tests import factories_certification as fcert
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


def _round(world: Any, **kw: Any) -> tuple[Any, list[Any]]:
    return fa.scored_round([world.body, world.other_body], per_body=4, **kw)


def test_city_ranking_shows_caps_and_the_cut_line_per_body(world: Any) -> None:
    r, apps = _round(world)
    client = world.client("city_admin")
    page = client.get(reverse("awards:ranking", args=[r.code])).content.decode()
    assert 'data-testid="caps"' in page
    assert "全市拟认定 4 个" in page
    assert apps[0].collective.name in page and apps[4].collective.name in page
    per_body = client.get(reverse("awards:ranking", args=[r.code]), {"body": world.body.id})
    text = per_body.content.decode()
    assert text.count('data-testid="cut-line"') == 1
    assert apps[4].collective.name not in text
    # The cut line sits between the body's second and third.
    cut = text.index('data-testid="cut-line"')
    assert text.index(apps[1].collective.name) < cut < text.index(apps[2].collective.name)


def test_a_body_admin_sees_only_its_own_rows_and_only_after_scoring_closed(world: Any) -> None:
    r, apps = _round(world, status=RoundStatus.REVIEW)
    client = world.client("body_admin")
    url = reverse("awards:ranking", args=[r.code])
    assert "评分截止后显示排名" in client.get(url).content.decode()
    r.status = RoundStatus.CLOSED
    r.save()
    page = client.get(url).content.decode()
    assert apps[0].collective.name in page
    assert apps[4].collective.name not in page
    assert reverse("awards:what_if", args=[r.code]) not in page
    assert client.get(reverse("awards:what_if", args=[r.code])).status_code == 403


def test_what_if_shows_movers_across_the_cut_and_saves_nothing(world: Any) -> None:
    r, apps = _round(world)
    city = world.actor("city_admin")
    league_support.save(city, apps[2], score=Decimal(30), reason="团建工作一般")
    before = AuditEntry.objects.count()
    client = world.client("city_admin")
    url = reverse("awards:what_if", args=[r.code])
    page = client.get(url, {"league_pct": 50, "appraisal_pct": 0}).content.decode()
    assert 'data-testid="moved-in"' in page and 'data-testid="moved-out"' in page
    movers = client.get(url, {"league_pct": 50, "appraisal_pct": 0, "movers": 1}).content
    text = movers.decode()
    assert apps[2].collective.name in text and apps[0].collective.name not in text
    assert "2 个集体进出拟认定线，其中 1 个新进入" in text
    bad = client.get(url, {"league_pct": 70, "appraisal_pct": 40}).content.decode()
    assert "不能超过 100%" in bad
    assert AuditEntry.objects.count() == before
    assert not Shortlist.objects.filter(round=r).exists()


def test_freeze_through_the_pages_then_move_up_a_reserve(world: Any) -> None:
    r, apps = _round(world)
    client = world.client("city_admin")
    confirm = client.get(reverse("awards:freeze", args=[r.code])).content.decode()
    assert "拟认定 4 个，候补 4 个" in confirm
    response = client.post(reverse("awards:freeze", args=[r.code]), {"note": "经研究确定"})
    shortlist = Shortlist.objects.get(round=r)
    assert response.url == reverse("awards:shortlist", args=[shortlist.code])
    # A second visit goes to the shortlist instead of freezing again.
    again = client.get(reverse("awards:freeze", args=[r.code]))
    assert again.status_code == 302
    listed = shortlist.entries.get(application=apps[0])
    with transaction.atomic():
        entries.remove(
            world.actor("city_admin"), listed, kind=RemovalKind.INSPECTION, reason="考察未通过"
        )
    reserve = shortlist.entries.get(application=apps[2])
    page = client.get(reverse("awards:shortlist", args=[shortlist.code])).content.decode()
    assert "考察未通过" in page
    assert reverse("awards:move_up", args=[shortlist.code, reserve.id]) in page
    client.post(
        reverse("awards:move_up", args=[shortlist.code, reserve.id]),
        {"reason": "考察未通过后递补"},
    )
    reserve.refresh_from_db()
    assert reserve.status == EntryStatus.LISTED
    # Out of order: the service refuses, the page says so.
    wrong = shortlist.entries.get(application=apps[3])
    response = client.post(
        reverse("awards:move_up", args=[shortlist.code, wrong.id]), {"reason": "递补"}, follow=True
    )
    assert "名额已满" in response.content.decode()


def test_a_body_admin_reads_its_own_shortlist_entries_without_a_move_up_form(world: Any) -> None:
    r, apps = _round(world)
    shortlist = freeze(world.actor("city_admin"), r)
    page = world.client("body_admin").get(reverse("awards:shortlist", args=[shortlist.code]))
    text = page.content.decode()
    assert apps[0].collective.name in text and apps[4].collective.name not in text
    assert "move-up" not in text


def test_league_support_through_the_page(world: Any) -> None:
    r, apps = _round(world)
    client = world.client("body_admin")
    url = reverse("awards:league_support_edit", args=[r.code, apps[0].code])
    response = client.post(
        url,
        {"score": "85.5", "reason": "团员 20 人", "league_members": "20", "league_activities": ""},
    )
    assert response.status_code == 302
    support = LeagueSupport.objects.get(application=apps[0])
    assert support.score == Decimal("85.5") and support.figures == {"league_members": 20}
    listing = client.get(reverse("awards:league_support", args=[r.code])).content.decode()
    assert "85.50" in listing and apps[4].collective.name not in listing
    bad = client.post(url, {"score": "120", "reason": "x"})
    assert bad.status_code == 200 and LeagueSupport.objects.get(
        application=apps[0]
    ).score == Decimal("85.5")


def test_the_ranking_export(world: Any) -> None:
    r, apps = _round(world)
    response = world.client("body_admin").get(reverse("awards:ranking_export", args=[r.code]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "全市排名"
    names = {row[4] for row in rows[1:]}
    assert names == {a.collective.name for a in apps[:4]}


def test_ranking_and_what_if_cost_constant_queries(world: Any, settings: Any) -> None:
    # The cost of reading the round afresh; the kept ranking's cost is tested with the cache.
    settings.AWARDS_KEEP_RANKINGS = False
    r, _apps = _round(world)
    client = world.client("city_admin")

    def grow() -> None:
        for body in (world.body, world.other_body):
            c = f.collective(body)
            app = fcert.application(r, c, status=ApplicationStatus.RECOMMENDED)
            ApplicationResult.objects.create(application=app, combined=70, defence_score=70)

    ranking = reverse("awards:ranking", args=[r.code])
    assert_constant_queries(lambda: client.get(ranking), grow)
    what_if = reverse("awards:what_if", args=[r.code])
    assert_constant_queries(lambda: client.get(what_if, {"league_pct": 30}), grow)
    league = reverse("awards:league_support", args=[r.code])
    assert_constant_queries(lambda: client.get(league), grow)


def test_the_shortlist_page_costs_constant_queries(world: Any) -> None:
    city = world.actor("city_admin")
    client = world.client("city_admin")
    made: list[Any] = []

    def grow() -> None:
        # A fresh frozen round each time, bigger than the last.
        r, _apps = fa.scored_round([world.body, world.other_body], per_body=2 + 2 * len(made))
        made.append(freeze(city, r))

    def fetch() -> Any:
        return client.get(reverse("awards:shortlist", args=[made[-1].code]))

    grow()
    fetch()
    small = count_queries(fetch)
    grow()
    grow()
    fetch()  # growing may change what the session keeps (accounts.kept)
    assert count_queries(fetch) == small
