"""Defence sessions and their reproducible draw; staff score lists, filters and export."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qnwmh.certification.models import DefenceSlot, RoundStatus, ScoreSheet, SheetStatus
from qnwmh.certification.services import defence, scoring
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import PermissionDenied
from tests import factories as f
from tests import factories_certification as fcert
from tests.scoring_helpers import scores, setup


def _session(world: Any, s: Any) -> Any:
    return defence.create_session(
        world.actor("city_admin"),
        panel=s.panel,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        venue="市青年活动中心",
    )


def test_draw_is_reproducible_from_the_recorded_seed(world: Any) -> None:
    s = setup(world)
    for n in range(4):
        c = f.collective(world.body, name=f"答辩集体{n}")
        fcert.application(s.round, c, status="recommended", area_=s.area)
    fcert.application(
        s.round, f.collective(world.body, name="未推荐"), status="submitted", area_=s.area
    )
    session = _session(world, s)
    assert session.slots.count() == 5  # the recommended ones only
    with pytest.raises(PermissionDenied):
        defence.draw_session(world.actor("body_admin"), session=session)
    drawn = defence.draw_session(world.actor("city_admin"), session=session)
    codes = sorted(session.slots.values_list("application__code", flat=True))
    random.Random(drawn.seed).shuffle(codes)
    by_order = list(
        DefenceSlot.objects.filter(session=session)
        .order_by("order")
        .values_list("application__code", flat=True)
    )
    assert by_order == codes
    assert sorted(DefenceSlot.objects.filter(session=session).values_list("order", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    with pytest.raises(DomainError, match="不能重抽"):
        defence.draw_session(world.actor("city_admin"), session=drawn)
    page = world.client("city_admin").get(
        reverse("certification:defence_detail", args=[session.code])
    )
    assert f"random.Random({drawn.seed}).shuffle(codes)" in page.content.decode()


def test_same_seed_same_order() -> None:
    codes = [f"c{n:02d}" for n in range(12)]
    assert defence.drawn_order(42, codes) == defence.drawn_order(42, list(reversed(codes)))
    assert defence.drawn_order(42, codes) != defence.drawn_order(43, codes)


def test_an_application_is_scheduled_once(world: Any) -> None:
    s = setup(world)
    _session(world, s)
    with pytest.raises(DomainError, match="没有待安排答辩"):
        _session(world, s)


def test_defence_page_creates_a_session(world: Any) -> None:
    s = setup(world)
    client = world.client("city_admin")
    url = reverse("certification:defence_list", args=[s.round.code])
    response = client.post(
        url, {"panel": s.panel.pk, "starts_at": "2026-12-05T09:00", "venue": "会议室"}
    )
    assert response.status_code == 302
    assert s.app.defence_slot.session.venue == "会议室"


def _scored(world: Any) -> Any:
    s = setup(world)
    for a, p in ((s.mine, 95), (s.chairs, 60)):
        scoring.save_sheet(
            f.actor(a.reviewer.user), assignment=a, score_set="site", scores=scores(p), submit=True
        )
    return s


def test_city_sees_totals_and_divergence_at_once(world: Any) -> None:
    s = _scored(world)
    client = world.client("city_admin")
    page = client.get(reverse("certification:scores", args=[s.round.code]))
    body = page.content.decode()
    assert "77.50" in body and 'data-testid="divergent"' in body
    only = client.get(reverse("certification:scores", args=[s.round.code]) + "?divergent=1")
    assert [a.pk for a in only.context["page"]] == [s.app.pk]


def test_body_admins_see_totals_only_once_scoring_has_closed(world: Any) -> None:
    s = _scored(world)
    client = world.client("body_admin")
    url = reverse("certification:scores", args=[s.round.code])
    page = client.get(url)
    assert page.context["shown"] is False and "77.50" not in page.content.decode()
    detail = client.get(reverse("certification:score_detail", args=[s.round.code, s.app.code]))
    assert "77.50" not in detail.content.decode()
    s.round.status = RoundStatus.CLOSED
    s.round.save()
    assert "77.50" in client.get(url).content.decode()
    # the outsider body sees none of the body's applications
    outsider = world.client("outsider").get(url)
    assert list(outsider.context["page"]) == []


def test_export_has_the_scores_for_the_city(world: Any) -> None:
    s = _scored(world)
    response = world.client("city_admin").get(
        reverse("certification:scores_export", args=[s.round.code])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][5] == "现场考核得分"
    assert rows[1][1] == world.collective.name and float(rows[1][5]) == 77.5
    assert rows[1][11] == "是"


def test_my_sheets_list_keeps_its_query_count(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = setup(world)
    client = world.client("reviewer")
    url = reverse("certification:my_sheets")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    small = count()
    for n in range(4):
        app = fcert.application(
            s.round, f.collective(world.body, name=f"批量{n}"), status="recommended", area_=s.area
        )
        a = fcert.assignment(app, s.reviewer)
        scoring.save_sheet(
            world.actor("reviewer"), assignment=a, score_set="site", scores=scores(), submit=True
        )
    assert count() == small


def test_the_demo_scores_reopens_draws_and_aggregates(world: Any) -> None:
    from qnwmh.certification.demo import scoring as demo_scoring
    from qnwmh.certification.models import ApplicationResult, DefenceSession
    from qnwmh.core.demo_context import DemoContext

    s = setup(world)
    s.panel.members.add(s.chair)
    demo_scoring.build(DemoContext())
    assert ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).count() >= 2
    assert ScoreSheet.objects.filter(status=SheetStatus.REOPENED).count() == 1
    assert DefenceSession.objects.get().drawn_at is not None
    assert ApplicationResult.objects.filter(application=s.app).exists()


def test_the_reviewers_home_counts_sheets_to_submit(world: Any) -> None:
    from qnwmh.certification.home import tasks as app_tasks
    from qnwmh.core.home import Task, gather

    def tasks(actor: Any) -> list[Task]:
        return gather(app_tasks(actor))

    s = setup(world)
    assert tasks(world.actor("city_admin")) == []
    invitations, todo = tasks(world.actor("reviewer"))
    assert (invitations.count, todo.count) == (0, 2)
    sheet = scoring.save_sheet(
        world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores(), submit=True
    )
    scoring.reopen_sheet(f.actor(s.chair.user), sheet=sheet, reason="复核")
    _, todo, reopened = tasks(world.actor("reviewer"))
    assert (todo.count, reopened.count) == (2, 1)
    page = world.client("reviewer").get("/office/")
    assert "组长退回重评的评分表" in page.content.decode()


def test_the_city_aggregates_from_the_scores_page(world: Any) -> None:
    from qnwmh.audit.models import AuditEntry
    from qnwmh.certification.models import ApplicationResult

    s = _scored(world)
    ApplicationResult.objects.all().delete()
    client = world.client("city_admin")
    url = reverse("certification:aggregate", args=[s.round.code])
    asked = client.post(url)
    assert asked.status_code == 200 and not ApplicationResult.objects.exists()
    done = client.post(url, {"confirmed": "1"})
    assert done.status_code == 302
    assert ApplicationResult.objects.get(application=s.app).site_score is not None
    assert AuditEntry.objects.filter(code="certification.round.aggregated").count() == 1
