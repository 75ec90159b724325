"""The dashboards: every figure equals the count of the list its bar links to (on random data,
for the city and a body), a body's figures cover only its subtree, the Excel file holds
exactly the page's numbers, the API answers the same charts."""

from __future__ import annotations

import dataclasses
import datetime
import io
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from qnwmh.audit.models import AuditEntry
from qnwmh.awards.models import EntryStatus
from qnwmh.certification.models import ApplicationStatus
from qnwmh.certification.testing import ensure_exam
from qnwmh.collectives.models import STARS, Collective, CollectiveStatus, Level, Ownership
from qnwmh.collectives.services import collective_archive, collective_update
from qnwmh.core.actor import system_actor
from qnwmh.cycles.models import RegistrationStatus
from qnwmh.cycles.selectors import quota_table
from qnwmh.dashboards.catalogue import FIGURES
from qnwmh.dashboards.exports import chart_sheets
from qnwmh.dashboards.figures import Chart, Period, Reference, charts
from qnwmh.dashboards.report import svg_bars
from qnwmh.dashboards.selectors import period_from_query
from qnwmh.knowledge.models import Attempt
from qnwmh.oversight.models import SanctionKind
from qnwmh.supervision.models import Category
from qnwmh.supervision.models import Status as ComplaintStatus
from tests import factories as f
from tests import factories_awards as fa
from tests import factories_certification as fcert
from tests import factories_cycles as fc
from tests import factories_oversight as fo
from tests import supervision_builders as sb

pytestmark = pytest.mark.django_db


def list_count(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["page"].paginator.count)


def assert_bars_match_their_lists(
    client: Client, found: list[Chart], *, every_cell: bool = True
) -> int:
    """Follows every bar (and every cell of a grid) to its list, and every shown total to the
    unfiltered list the bars break down; returns how many bars and cells were checked.
    ``every_cell=False`` follows a grid's non-zero cells and its first row's zeros only (the
    demo's 33 bodies × 12 months are mostly zeros; the random-data test follows them all)."""
    checked = 0
    for chart in found:
        for row, bar in enumerate(chart.bars):
            assert list_count(client, bar.url) == bar.value, (chart.key, bar.label, bar.url)
            assert len(bar.cells) == len(chart.columns), chart.key
            if bar.cells:  # the columns partition the rows
                assert sum(cell.value for cell in bar.cells) == bar.value, chart.key
            followed = [c for c in bar.cells if every_cell or c.value or row == 0]
            for cell in followed:
                assert list_count(client, cell.url) == cell.value, (chart.key, cell.url)
            checked += 1 + len(followed)
        if chart.total is not None:
            assert list_count(client, chart.list_url) == chart.total, (chart.key, chart.list_url)
    return checked


def test_totals_count_the_list_not_the_bars(world: Any) -> None:
    """An overdue complaint is also open, a collective without a sector has no sector bar,
    a collective may hold titles at two levels: the totals still count the list (or hide)."""
    # Overdue, and received today: the dashboard counts the complaints of its year.
    sb.complaint(world.collective, status=ComplaintStatus.RECEIVED, ack_due="2020-01-01")
    world.other_collective.sector = None
    world.other_collective.save()
    f.title(world.collective, Level.PROVINCIAL)
    actor = world.actor("city_admin")
    found = {c.key: c for c in charts(actor, period(actor))}
    state = found["complaints_by_state"]
    assert sum(b.value for b in state.bars) > state.total == 1
    sector = found["collectives_by_sector"]
    assert sum(b.value for b in sector.bars) < sector.total == 2
    assert found["titled_by_level"].total is None
    assert found["titled_by_level_and_stars"].total is None
    assert assert_bars_match_their_lists(world.client("city_admin"), list(found.values())) > 0
    html = world.client("city_admin").get(reverse("dashboards:dashboard")).content.decode()
    assert html.count('data-testid="total"') == sum(c.total is not None for c in found.values())


def period(actor: Any) -> Any:
    return period_from_query(actor, {})


def last_year_url(chart: Chart, bar: Any, year: int) -> str:
    """The list a bar's last-year reference counts: the bar's own list on the previous
    year's register day."""
    figure = next(fig for fig in FIGURES if fig.key == chart.key)
    path, base = figure.link(Period(cycle=None, year=year - 1))
    params = {**dict(parse_qsl(urlsplit(bar.url).query)), **base}
    return f"{path}?{urlencode(params)}"


def assert_last_years_match_their_lists(client: Client, found: list[Chart], year: int) -> int:
    """Follows every last-year reference to its list; returns how many were checked."""
    checked = 0
    for chart in found:
        if chart.key != "non_public_by_town":
            continue
        for bar in chart.bars:
            url = last_year_url(chart, bar, year)
            assert bar.reference_url == url  # the table's link on last year's number
            assert list_count(client, url) == bar.reference, (bar.label, url)
            checked += 1
    return checked


def a_year_ago() -> Any:
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=400)


def archived_at(c: Collective, at: Any) -> None:
    """As ``collective_archive`` does, on a past day (its audit entry is what dates it)."""
    Collective.objects.filter(pk=c.pk).update(status=CollectiveStatus.ARCHIVED)
    AuditEntry.objects.create(
        at=at,
        actor_label="system",
        code="collectives.collective.archived",
        object_type="collectives.collective",
        object_id=str(c.pk),
        data={"reason": "撤并"},
    )


collective_spec = st.tuples(
    st.booleans(),  # in the world's body (else the other body)
    st.sampled_from(Ownership.values),
    st.sampled_from(["", Level.CITY, Level.PROVINCIAL]),
    st.sampled_from(RegistrationStatus.values),
    st.sampled_from(STARS),
    # Its history: new this year, older, older and archived now, archived over a year ago.
    st.sampled_from(["new", "old", "archived_now", "archived_before"]),
)
complaint_spec = st.tuples(
    st.integers(0, 30),
    st.sampled_from(ComplaintStatus.values),
    st.sampled_from(Category.values),
    st.integers(0, 40),  # days ago: some are overdue
)


@settings(
    max_examples=4,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    collectives=st.lists(collective_spec, min_size=1, max_size=6),
    complaints=st.lists(complaint_spec, max_size=8),
    sanctions=st.lists(st.sampled_from([SanctionKind.WARNING, SanctionKind.STAR_DOWN]), max_size=3),
)
def test_every_figure_equals_its_lists_count_on_random_data(
    world: Any, collectives: list[Any], complaints: list[Any], sanctions: list[str]
) -> None:
    with transaction.atomic():
        cycle = fc.cycle()
        built = [world.collective, world.other_collective]
        for own, ownership, level, status, stars, history in collectives:
            c = f.collective(
                world.body if own else world.other_body, members=0, ownership=ownership
            )
            c.sector = world.sector if own else None
            if history != "new":
                c.created_at = a_year_ago() - datetime.timedelta(days=30)
            c.save()
            if level:
                f.title(c, level, stars=stars)
            fc.registration(cycle, c, status=status)
            if history == "archived_now":
                collective_archive(world.actor("city_admin"), collective=c, reason="撤并")
            elif history == "archived_before":
                archived_at(c, a_year_ago())
            built.append(c)
        for i, status, category, days in complaints:
            sb.complaint(built[i % len(built)], status=status, category=category, days_ago=days)
        for kind in sanctions:
            fo.sanction(world.title, kind)
        for role in ("city_admin", "body_admin"):
            actor = world.actor(role)
            found = charts(actor, period_from_query(actor, {"cycle": cycle.code}))
            assert {c.key for c in found} >= {"registrations_by_status", "complaints_by_state"}
            assert assert_bars_match_their_lists(world.client(role), found) > 20
            year = period_from_query(actor, {}).year
            assert assert_last_years_match_their_lists(world.client(role), found, year) == 2
        transaction.set_rollback(True)


def test_certification_figures_follow_the_cycles_round(world: Any) -> None:
    r = fcert.cert_round()
    fcert.application(r, world.collective)
    fcert.application(r, world.other_collective)
    actor = world.actor("city_admin")
    found = charts(actor, period_from_query(actor, {"cycle": r.cycle.code}))
    apps = next(c for c in found if c.key == "applications_by_status")
    assert apps.total == 2
    assert assert_bars_match_their_lists(world.client("city_admin"), [apps]) == len(apps.bars)
    body_apps = charts(world.actor("body_admin"), period_from_query(actor, {"cycle": r.cycle.code}))
    assert next(c for c in body_apps if c.key == "applications_by_status").total == 1


def test_quotas_used_and_the_2_to_1_cap_stand_as_the_quota_page_has_them(world: Any) -> None:
    """Per body: the registrations holding a place (accepted or filed, not submitted) with the
    quota beside, and the recommended applications with the 2:1 cap beside; both the quota
    page's numbers (``quota_table``), each bar its list's count, a body admin its own only."""
    r = fcert.cert_round()
    cycle = r.cycle
    fc.quota(cycle, world.body, 5)
    fc.quota(cycle, world.other_body, 2)
    fcert.application(r, world.collective, status=ApplicationStatus.RECOMMENDED)
    for status in (ApplicationStatus.RECOMMENDED, ApplicationStatus.SUBMITTED):
        fcert.application(r, f.collective(world.body, members=0), status=status)
    fc.registration(cycle, f.collective(world.body, members=0), status=RegistrationStatus.SUBMITTED)
    fc.registration(cycle, world.other_collective, status=RegistrationStatus.ACCEPTED)
    expected = {
        "city_admin": (
            {world.body.pk: (3, 5), world.other_body.pk: (1, 2)},
            {world.body.pk: (2, 1)},
        ),
        "body_admin": ({world.body.pk: (3, 5)}, {world.body.pk: (2, 1)}),
    }
    for role, (used_expected, capped_expected) in expected.items():
        actor = world.actor(role)
        found = {c.key: c for c in charts(actor, period_from_query(actor, {"cycle": cycle.code}))}
        used, capped = found["quota_used_by_body"], found["recommended_by_body"]
        assert {int(b.key): (b.value, b.reference) for b in used.bars} == used_expected, role
        assert {int(b.key): (b.value, b.reference) for b in capped.bars} == capped_expected, role
        page = {q.body_id: q for q in quota_table(actor, cycle)}
        assert {pk: (q.used, q.final) for pk, q in page.items()} == used_expected
        assert all(page[int(b.key)].cap == b.reference for b in capped.bars)
        assert (used.reference_label, capped.reference_label) == ("名额", "比例上限")
        assert assert_bars_match_their_lists(world.client(role), [used, capped]) == len(
            used.bars
        ) + len(capped.bars)


def test_certification_progress_follows_the_applications_list(world: Any) -> None:
    """Test passed, scores in, listed, decided, removed: each bar the applications list's
    count with the same ``progress`` filter, which its filter bar offers by name."""
    r, apps = fa.scored_round([world.body, world.other_body], per_body=2)
    ensure_exam(system_actor(), r)
    now = timezone.now()
    for app, passed in ((apps[0], True), (apps[1], False)):
        Attempt.objects.create(
            exam=r.exam,
            taker=f.user(),
            collective=app.collective,
            candidate_name="张敏",
            seed=1,
            deadline=now,
            status="submitted",
            submitted_at=now,
            score=80 if passed else 40,
            passed=passed,
        )
    shortlist = fa.shortlist(r, listed=2)
    entries = {e.application_id: e for e in shortlist.entries.all()}
    for app, status in ((apps[0], EntryStatus.DECIDED), (apps[2], EntryStatus.REMOVED)):
        entries[app.pk].status = status
        entries[app.pk].save()
    # Recommended, not scored yet.
    fcert.application(r, f.collective(world.body, members=0), status=ApplicationStatus.RECOMMENDED)
    expected = {
        "city_admin": {"test_passed": 1, "scored": 4, "listed": 2, "decided": 1, "removed": 1},
        "body_admin": {"test_passed": 1, "scored": 2, "listed": 1, "decided": 1, "removed": 0},
    }
    for role, counts in expected.items():
        actor = world.actor(role)
        found = charts(actor, period_from_query(actor, {"cycle": r.cycle.code}))
        chart = next(c for c in found if c.key == "applications_by_progress")
        assert {b.key: b.value for b in chart.bars} == counts, role
        assert chart.total == (5 if role == "city_admin" else 3)
        assert assert_bars_match_their_lists(world.client(role), [chart]) == 5
    html = world.client("city_admin").get(chart.list_url).content.decode()
    assert 'name="progress"' in html and "知识测试合格" in html and "已认定" in html


def test_the_cycle_figures_queries_do_not_grow_with_the_data(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    r, _apps = fa.scored_round([world.body, world.other_body], per_body=2)
    ensure_exam(system_actor(), r)
    fa.shortlist(r)
    actor = world.actor("city_admin")
    keys = ("quota_used_by_body", "recommended_by_body", "applications_by_progress")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            found = charts(actor, period_from_query(actor, {"cycle": r.cycle.code}), keys)
        assert len(found) == len(keys)
        return len(ctx)

    small = queries()
    body = f.body()
    fc.quota(r.cycle, body, 4)
    for _ in range(3):
        fcert.application(r, f.collective(body, members=0), status=ApplicationStatus.RECOMMENDED)
    assert queries() == small


def test_a_bodys_figures_cover_only_its_subtree(world: Any) -> None:
    for _ in range(3):
        sb.complaint(world.other_collective)
    sb.complaint(world.collective)
    body = {c.key: c for c in charts(world.actor("body_admin"), period(world.actor("body_admin")))}
    city = {c.key: c for c in charts(world.actor("city_admin"), period(world.actor("city_admin")))}
    assert [b.key for b in body["collectives_by_body"].bars] == [str(world.body.pk)]
    assert body["collectives_by_town"].total == 1
    assert city["collectives_by_town"].total == 2
    assert body["complaints_by_status"].total == 1
    assert city["complaints_by_status"].total == 4
    assert {b.key for b in city["complaints_by_body"].bars} == {
        str(world.body.pk),
        str(world.other_body.pk),
    }


def test_only_the_city_and_bodies_see_the_dashboard(world: Any) -> None:
    url = reverse("dashboards:dashboard")
    assert world.client("city_admin").get(url).status_code == 200
    assert world.client("body_admin").get(url).status_code == 200
    assert world.client("manager").get(url).status_code == 403
    assert world.client("reviewer").get(url).status_code == 403


def test_the_page_shows_each_chart_with_its_table_and_links(world: Any) -> None:
    response = world.client("city_admin").get(reverse("dashboards:dashboard"))
    html = response.content.decode()
    for key in ("collectives_by_town", "titled_by_level", "complaints_by_state"):
        assert f'data-chart="{key}"' in html
    assert world.town.name in html
    assert "<script>" not in html  # no inline script: the CSP stays as it is
    assert "echarts-5.6.0.min.js" in html


def test_the_excel_file_holds_exactly_the_pages_numbers(world: Any) -> None:
    actor = world.actor("city_admin")
    found = charts(actor, period(actor))
    response = world.client("city_admin").get(reverse("dashboards:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == len(found)
    for sheet, chart in zip(book.worksheets, found, strict=True):
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        bars = rows if chart.total is None else rows[:-1]
        assert [(r[0], r[1]) for r in bars] == [(b.label, b.value) for b in chart.bars]
        if chart.total is None:
            assert [(r[0], r[1]) for r in rows] == [(b.label, b.value) for b in chart.bars]
        else:
            assert rows[-1][1] == chart.total
        assert all(str(r[2]).endswith(b.url) for r, b in zip(rows, chart.bars, strict=False))
        # A grid's cells follow, one column per category of its second dimension, then the
        # reference and the flag for a bar short of the minimum, if the chart has them.
        flag = chart.minimum or 0
        assert [list(r[3:]) for r in bars] == [
            [c.value for c in b.cells]
            + ([b.reference] if chart.reference_label else [])
            + (["⚠" if b.value < flag else ""] if chart.minimum else [])
            for b in chart.bars
        ]


def test_one_charts_excel_file(world: Any) -> None:
    response = world.client("body_admin").get(
        reverse("dashboards:export") + "?chart=collectives_by_town"
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == 1


def test_every_figure_key_is_unique() -> None:
    keys = [f.key for f in FIGURES]
    assert len(keys) == len(set(keys))


def test_the_api_answers_the_pages_charts_for_the_callers_scope(world: Any) -> None:
    from tests.api.helpers import client_for

    cycle = fc.cycle()
    fc.registration(cycle, world.collective)
    fc.registration(cycle, world.other_collective, status=RegistrationStatus.FILED)
    for role in ("city_admin", "body_admin"):
        actor = world.actor(role)
        answer = client_for(world, role).get("/dashboards/figures", cycle=cycle.code).json()
        found = charts(actor, period_from_query(actor, {"cycle": cycle.code}))
        assert answer["cycle"] == cycle.code
        assert [(c["key"], c["total"]) for c in answer["charts"]] == [
            (c.key, c.total) for c in found
        ]
        assert [b["url"] for c in answer["charts"] for b in c["bars"]] == [
            b.url for c in found for b in c.bars
        ]
        assert [x["url"] for c in answer["charts"] for b in c["bars"] for x in b["cells"]] == [
            x.url for c in found for b in c.bars for x in b.cells
        ]
    one = client_for(world, "body_admin").get("/dashboards/figures", chart="titled_by_level")
    assert [c["key"] for c in one.json()["charts"]] == ["titled_by_level"]


def test_the_page_and_its_excel_read_the_primary_as_the_lists_do(
    world: Any, monkeypatch: Any
) -> None:
    """A bar opens its list, which reads the primary: read on a lagging replica, the two
    would disagree."""
    from qnwmh.core import replica
    from qnwmh.dashboards import views

    seen: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> list[Chart]:
        seen.append(replica.marked())
        return charts(*args, **kwargs)

    monkeypatch.setattr(views, "charts", spy)
    client = world.client("city_admin")
    assert client.get(reverse("dashboards:dashboard")).status_code == 200
    assert client.get(reverse("dashboards:export")).status_code == 200
    assert seen == [False, False]


def test_the_dashboards_queries_do_not_grow_with_the_data(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("city_admin")
    url = reverse("dashboards:dashboard")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    sb.complaint(world.collective)  # every chart has a row: its categories are read
    small = queries()
    for i in range(6):
        c = f.collective(world.other_body if i % 2 else world.body, members=0)
        sb.complaint(c)
    assert queries() == small


def test_the_years_re_review_figures_follow_its_cases_list(world: Any) -> None:
    from django.utils import timezone

    year = timezone.localdate().year
    fo.review([world.title, fo.city_title(world.other_body)], year=year)
    for role in ("city_admin", "body_admin"):
        actor = world.actor(role)
        found = [
            c
            for c in charts(actor, period_from_query(actor, {"year": year}))
            if c.key.startswith("review_cases")
        ]
        assert [c.key for c in found] == ["review_cases_by_status", "review_cases_by_outcome"]
        assert found[0].total == (2 if role == "city_admin" else 1)
        assert assert_bars_match_their_lists(world.client(role), found) > 0


def _with_reference(values: dict[Any, int]) -> Any:
    """The collectives-by-body figure with a second number per body (as a quota would be)."""
    base = next(fig for fig in FIGURES if fig.key == "collectives_by_body")
    return dataclasses.replace(
        base, reference=Reference(label="限额", values=lambda actor, period: values)
    )


def test_a_reference_stands_beside_each_bar_everywhere(world: Any, monkeypatch: Any) -> None:
    """A body with a reference and no rows keeps its bar (a quota nobody used yet); the table,
    the Excel sheet, the JSON and the report's SVG carry the second number."""
    empty = f.industry_body(name="共青团中山市无集体委员会")
    figure = _with_reference({world.body.pk: 7, empty.pk: 3})
    monkeypatch.setattr("qnwmh.dashboards.catalogue.FIGURES", [figure])
    actor = world.actor("city_admin")
    (chart,) = charts(actor, period(actor))
    assert chart.reference_label == "限额"
    by_key = {bar.key: bar for bar in chart.bars}
    assert by_key[str(world.body.pk)].reference == 7
    assert (by_key[str(empty.pk)].value, by_key[str(empty.pk)].reference) == (0, 3)
    assert by_key[str(world.other_body.pk)].reference is None

    html = world.client("city_admin").get(reverse("dashboards:dashboard")).content.decode()
    assert 'data-reference-label="限额"' in html and 'data-reference="3"' in html

    ((_name, header, rows),) = chart_sheets([chart])
    assert header[-1] == "限额"
    assert [r[-1] for r in rows[: len(chart.bars)]] == [b.reference for b in chart.bars]

    from tests.api.helpers import client_for

    (out,) = client_for(world, "city_admin").get("/dashboards/figures").json()["charts"]
    assert out["reference_label"] == "限额"
    assert {b["key"]: b["reference"] for b in out["bars"]}[str(empty.pk)] == 3

    svg = {b.label: b for b in svg_bars(chart)["bars"]}
    assert svg[by_key[str(empty.pk)].label].reference_width > 0


def _chart(actor: Any, key: str) -> Chart:
    return next(c for c in charts(actor, period(actor), [key]))


def test_the_level_pyramid_counts_titles_by_level_and_stars(world: Any) -> None:
    """National at the top, the most stars first; one bar per level and stars held, each the
    list's count of collectives whose title at that level has those stars."""
    f.title(world.collective, Level.PROVINCIAL, stars=2)
    f.title(world.other_collective, Level.CITY, stars=3)
    f.title(world.other_collective, Level.NATIONAL, stars=0)  # a sanction took its star
    third = f.collective(world.body, members=0)
    f.title(third, Level.CITY, stars=3, status="revoked")  # ended: not in the pyramid
    actor = world.actor("city_admin")
    chart = _chart(actor, "titled_by_level_and_stars")
    assert [(b.key, b.value) for b in chart.bars] == [
        ("national-0", 1),
        ("provincial-2", 1),
        ("city-3", 1),
        ("city-1", 1),
    ]
    assert chart.bars[0].label == "全国级 · 0 星"
    client = world.client("city_admin")
    assert assert_bars_match_their_lists(client, [chart]) == 4
    # One title must match both: the provincial 2-star title is not a city one.
    list_url = reverse("collectives:list")
    assert list_count(client, f"{list_url}?level=city&stars=2") == 0
    assert list_count(client, f"{list_url}?stars=3") == 1
    assert list_count(client, f"{list_url}?stars=0") == 1
    html = client.get(list_url).content.decode()
    assert 'name="stars"' in html and "全部星级" in html and ">3 星<" in html
    body = _chart(world.actor("body_admin"), "titled_by_level_and_stars")
    assert [(b.key, b.value) for b in body.bars] == [("provincial-2", 1), ("city-1", 1)]


def test_the_non_public_rule_per_town_year_on_year(world: Any, rules: Any) -> None:
    """Each town's non-public collectives on the register now, beside the end of last year;
    a town below the programme's least is flagged in words."""
    old = a_year_ago() - datetime.timedelta(days=30)
    np = Ownership.NON_PUBLIC
    Collective.objects.filter(pk=world.collective.pk).update(ownership=np, created_at=old)
    f.collective(world.body, members=0, ownership=np)  # new this year
    other = world.other_body
    gone_now = f.collective(other, members=0, ownership=np, created_at=old)
    collective_archive(world.actor("city_admin"), collective=gone_now, reason="撤并")
    gone_before = f.collective(other, members=0, ownership=np, created_at=old)
    archived_at(gone_before, a_year_ago())
    back = f.collective(other, members=0, ownership=np, created_at=old)
    archived_at(back, a_year_ago())
    collective_update(world.actor("city_admin"), collective=back, values={"status": "active"})
    empty = f.town("三乡镇")

    actor = world.actor("city_admin")
    chart = _chart(actor, "non_public_by_town")
    assert chart.reference_label == "上年" and chart.minimum == 1
    by_town = {b.key: (b.value, b.reference) for b in chart.bars}
    assert by_town[str(world.town.pk)] == (2, 1)
    assert by_town[str(world.other_town.pk)] == (1, 1)  # one left, one came back
    assert by_town[str(empty.pk)] == (0, 0)
    client = world.client("city_admin")
    assert assert_bars_match_their_lists(client, [chart]) == 3
    year = period(actor).year
    assert assert_last_years_match_their_lists(client, [chart], year) == 3

    html = client.get(reverse("dashboards:dashboard")).content.decode()
    figure = html.split('data-chart="non_public_by_town"')[1].split("</figure>")[0]
    assert 'data-testid="minimum"' in figure
    rows = {r.split('"')[0]: r for r in figure.split('<tr data-key="')[1:]}
    assert "⚠ 未达下限" in rows[str(empty.pk)]
    assert f'<a href="{chart.bars[0].reference_url.replace("&", "&amp;")}">' in figure
    assert "未达下限" not in rows[str(world.town.pk)] + rows[str(world.other_town.pk)]

    # The rule is the programme's, not the dashboard's.
    rules.nonpublic_min_per_town = 2
    rules.save()
    html = client.get(reverse("dashboards:dashboard")).content.decode()
    assert html.count('data-testid="below-minimum"') == 2
    from tests.api.helpers import client_for

    (out,) = (
        client_for(world, "city_admin")
        .get("/dashboards/figures", chart="non_public_by_town")
        .json()["charts"]
    )
    assert out["minimum"] == 2
    ((_name, header, rows_),) = chart_sheets([_chart(actor, "non_public_by_town")])
    assert header[-1] == "未达下限（2）"
    assert sorted(r[-1] for r in rows_[: len(chart.bars)]) == ["", "⚠", "⚠"]


def test_the_register_on_a_day_follows_creation_and_the_audited_status(world: Any) -> None:
    """``active_on``: created by the end of the day, and active then by the first audited
    change after it (archiving, an edit of the status), else as now."""
    from qnwmh.collectives.selectors import CollectiveFilters, filter_collectives

    old = a_year_ago() - datetime.timedelta(days=30)
    Collective.objects.update(created_at=old)
    back = f.collective(world.body, members=0, created_at=old)
    archived_at(back, a_year_ago())
    collective_update(world.actor("city_admin"), collective=back, values={"name": "改名"})
    collective_update(world.actor("city_admin"), collective=back, values={"status": "active"})
    new = f.collective(world.body, members=0)

    def on(day: datetime.date) -> set[int]:
        rows = filter_collectives(Collective.objects.all(), CollectiveFilters(active_on=day))
        return set(rows.values_list("pk", flat=True))

    both = {world.collective.pk, world.other_collective.pk}
    before_archiving = (a_year_ago() - datetime.timedelta(days=10)).date()
    assert on(before_archiving) == both | {back.pk}
    assert on((a_year_ago() + datetime.timedelta(days=10)).date()) == both
    from django.utils import timezone

    assert on(timezone.localdate()) == both | {back.pk, new.pk}
    assert on((old - datetime.timedelta(days=1)).date()) == set()
    url = reverse("collectives:list") + f"?active_on={before_archiving.isoformat()}"
    assert list_count(world.client("city_admin"), url) == 3
