"""Spot checks: a year's draw from the active, non-exempt city titles with the upheld
complaints on top, once a year, reproducible from its stored seed and population; visits are
planned, recorded with photos and closed by the inspectors; a covert visit stays out of the
managers' sight (lists, pages, notices) until it is closed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Level
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.oversight import draw as sampling
from qnwmh.oversight.models import SpotCheck, Visit, VisitReason, VisitStatus
from qnwmh.oversight.selectors import spotcheck as sel
from qnwmh.oversight.services import spotcheck as svc
from tests import evidence_files
from tests import factories as f
from tests import factories_oversight as fo
from tests import supervision_builders as sb

YEAR = timezone.localdate().year
ALL_OK = [{"item": k, "ok": True, "note": ""} for k in svc.CHECKLIST_KEYS]


def _titles(world, n=9):
    return [fo.city_title(world.body) for _ in range(n)]


def _visit(world, *, covert=False, title=None):
    title = title or world.title
    return Visit.objects.create(
        title=title, collective=title.collective, reason=VisitReason.RANDOM, covert=covert
    )


def test_draw_takes_the_share_excludes_exempt_and_adds_upheld(world):
    titles = _titles(world)
    exempt = titles[0]
    f.title(exempt.collective, Level.PROVINCIAL)
    upheld = titles[1]
    sb.complaint(upheld.collective, upheld=True)
    check = svc.draw_year(world.actor("city_admin"), year=YEAR, pct=20, seed="abc")
    ids = [row[0] for row in check.population]
    assert exempt.id not in ids and world.title.id in ids and len(ids) == 9  # 10 − exempt
    assert len(check.drawn) == 2  # 20% of 9 = 1.8 → 2
    assert check.drawn == sampling.draw(sampling.units_from(check.population), 20, "abc")
    assert upheld.id in check.drawn or check.upheld == [upheld.id]
    reasons = dict(Visit.objects.filter(spot_check=check).values_list("title_id", "reason"))
    assert set(reasons) == set(check.drawn) | set(check.upheld)
    assert all(reasons[i] == VisitReason.RANDOM for i in check.drawn)
    assert AuditEntry.objects.filter(code="oversight.spot_check.drawn").exists()
    assert svc.redraw(check, "abc") == check.drawn
    assert not Notice.objects.exists()  # nobody is warned at the draw


def test_default_share_comes_from_the_rules_and_the_seed_is_random(world, rules):
    rules.spot_check_pct = 50
    rules.save()
    _titles(world, 3)
    check = svc.draw_year(world.actor("city_admin"), year=YEAR)
    assert check.pct == 50 and len(check.seed) == 16 and len(check.drawn) == 2


def test_one_draw_a_year_and_refusals(world):
    city = world.actor("city_admin")
    svc.draw_year(city, year=YEAR, seed="x")
    with pytest.raises(DomainError, match="每年只抽一次"):
        svc.draw_year(city, year=YEAR, seed="y")
    with pytest.raises(DomainError, match="随机种子"):
        svc.draw_year(city, year=YEAR - 1, seed="空 格")
    with pytest.raises(DomainError, match="1% 到 100%"):
        svc.draw_year(city, year=YEAR - 1, pct=0)
    with pytest.raises(DomainError, match="今年或上一年度"):
        svc.draw_year(city, year=YEAR - 5)
    with pytest.raises(PermissionDenied):
        svc.draw_year(world.actor("body_admin"), year=YEAR - 1)
    assert SpotCheck.objects.count() == 1


def test_an_empty_population_is_refused(world):
    world.title.status = "revoked"
    world.title.save()
    with pytest.raises(DomainError, match="没有可抽检"):
        svc.draw_year(world.actor("city_admin"), year=YEAR, seed="x")


def test_strata_table_and_sample_rows(world):
    _titles(world, 4)
    f.collective(world.other_body, ownership="non_public")
    check = svc.draw_year(world.actor("city_admin"), year=YEAR, pct=50, seed="s")
    rows = sel.strata_table(check)
    assert sum(r.size for r in rows) == len(check.population)
    assert sum(r.count for r in rows) == len(check.drawn)
    assert all(r.drawn == r.count for r in rows)
    assert {r.town for r in rows} == {world.town.name}
    names = [r.collective for r in sel.sample_rows(check)]
    assert len(names) == len(check.drawn)


def test_announced_visit_is_told_on_plan_and_close(world, django_capture_on_commit_callbacks):
    body = world.actor("body_admin")
    v = _visit(world)
    with django_capture_on_commit_callbacks(execute=True):
        svc.plan(body, v, planned_on=timezone.localdate(), covert=False)
    manager = world.users["manager"]
    assert Notice.objects.filter(recipient=manager, code="oversight.visit.planned").exists()
    photo = SimpleUploadedFile("现场.png", evidence_files.png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        svc.record(
            body,
            v,
            visited_on=timezone.localdate(),
            inspectors="张三、李四",
            findings=ALL_OK,
            summary="",
            result="passed",
            evidence=[photo],
        )
    v.refresh_from_db()
    assert v.status == VisitStatus.RECORDED and v.evidence.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        svc.close(body, v)
    assert Notice.objects.filter(recipient=manager, code="oversight.visit.closed").exists()
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {
        "oversight.visit.planned",
        "oversight.visit.recorded",
        "oversight.visit.closed",
    } <= codes
    with pytest.raises(DomainError):
        svc.record(
            body,
            v,
            visited_on=timezone.localdate(),
            inspectors="x",
            findings=ALL_OK,
            summary="",
            result="passed",
        )


def test_covert_visit_hidden_from_managers_until_closed(world, django_capture_on_commit_callbacks):
    city = world.actor("city_admin")
    manager = world.actor("manager")
    v = _visit(world)
    with django_capture_on_commit_callbacks(execute=True):
        svc.plan(city, v, planned_on=timezone.localdate(), covert=True)
        svc.record(
            city,
            v,
            visited_on=timezone.localdate(),
            inspectors="暗访组",
            findings=ALL_OK,
            summary="窗口无人",
            result="failed",
        )
    assert not Notice.objects.filter(recipient=world.users["manager"]).exists()
    assert not sel.visit_list(manager, sel.VisitFilters()).exists()
    assert sel.visit_list(world.actor("body_admin"), sel.VisitFilters()).count() == 1
    assert not sel.visit_list(world.actor("outsider"), sel.VisitFilters()).exists()
    with django_capture_on_commit_callbacks(execute=True):
        svc.close(city, v)
    assert list(sel.visit_list(manager, sel.VisitFilters())) == [v]
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="oversight.visit.closed"
    ).exists()


def test_record_refusals(world):
    body = world.actor("body_admin")
    v = _visit(world)
    today = timezone.localdate()
    args = {
        "visited_on": today,
        "inspectors": "张三",
        "findings": ALL_OK,
        "summary": "",
        "result": "failed",
    }
    with pytest.raises(DomainError, match="须写明发现的问题"):
        svc.record(body, v, **args)
    with pytest.raises(DomainError, match="不能晚于今天"):
        svc.record(body, v, **{**args, "summary": "x", "visited_on": today + datetime.timedelta(1)})
    with pytest.raises(DomainError, match="请对每个检查项目"):
        svc.record(body, v, **{**args, "summary": "x", "findings": ALL_OK[:2]})
    with pytest.raises(DomainError, match="请选择检查结论"):
        svc.record(body, v, **{**args, "result": "maybe"})
    with pytest.raises(PermissionDenied):
        svc.record(world.actor("outsider"), v, **{**args, "summary": "x"})
    with pytest.raises(DomainError):
        svc.close(body, v)  # not recorded yet
    with pytest.raises(DomainError, match="不能早于今天"):
        svc.plan(body, v, planned_on=today - datetime.timedelta(1), covert=False)


def test_adhoc_visit_outside_a_draw(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        v = svc.adhoc(world.actor("body_admin"), title=world.title, covert=True)
    assert v.reason == VisitReason.OTHER and v.spot_check is None
    assert not Notice.objects.exists()
    with pytest.raises(PermissionDenied):
        svc.adhoc(world.actor("outsider"), title=world.title)


def test_demo_builds_both_years_through_the_services(world):
    from qnwmh.core.demo_context import DemoContext
    from qnwmh.oversight.demo import spotcheck as demo

    _titles(world, 12)
    ctx = DemoContext()
    ctx.users = {"city_admin": world.users["city_admin"]}
    demo.build(ctx)
    last, this = SpotCheck.objects.get(year=YEAR - 1), SpotCheck.objects.get(year=YEAR)
    assert not last.visits.exclude(status=VisitStatus.CLOSED).exists()
    assert last.visits.filter(result="failed").count() == 1
    assert ctx.extra["oversight_failed_visit"].result == "failed"
    assert this.visits.filter(covert=True, status=VisitStatus.PLANNED).count() == 1
    assert this.visits.filter(status=VisitStatus.RECORDED).count() == 1
