"""Spot-check pages: the draw form and its result, the visits list with filters and export,
the record form with photos, the manager's own visits (covert ones only once closed), the
public reproduction page with its re-draw and population download, and constant query counts."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qnwmh.collectives.models import Collective, Level
from qnwmh.oversight.models import SpotCheck, Visit, VisitReason, VisitStatus
from qnwmh.oversight.services import spotcheck as svc
from tests import evidence_files
from tests import factories as f
from tests import factories_oversight as fo
from tests.querycount import assert_constant_queries, count_queries

YEAR = timezone.localdate().year
ALL_OK = [{"item": k, "ok": True, "note": ""} for k in svc.CHECKLIST_KEYS]


def _visit(world, *, covert=False, status=VisitStatus.PLANNED):
    return Visit.objects.create(
        title=world.title,
        collective=world.collective,
        reason=VisitReason.RANDOM,
        covert=covert,
        status=status,
    )


def _record_post(**extra):
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "inspectors": "张三",
        "result": "failed",
        "summary": "服务承诺未公开。",
    }
    for key in svc.CHECKLIST_KEYS:
        data[f"ok_{key}"] = "0" if key == "pledges" else "1"
        data[f"note_{key}"] = ""
    data.update(extra)
    return data


def test_draw_form_shows_exempt_titles_and_draws(world):
    t = fo.city_title(world.body)
    f.title(t.collective, Level.PROVINCIAL)
    client = world.client("city_admin")
    page = client.get(reverse("oversight:spot_check_draw"))
    assert page.status_code == 200 and t.collective.name in page.content.decode()
    r = client.post(reverse("oversight:spot_check_draw"), {"year": YEAR, "pct": 50, "seed": "abc"})
    check = SpotCheck.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(check.code + "/")
    detail = client.get(r["Location"]).content.decode()
    assert "abc" in detail and 'data-testid="strata"' in detail
    again = client.post(reverse("oversight:spot_check_draw"), {"year": YEAR, "pct": 50})
    assert again.status_code == 400 and "每年只抽一次" in again.content.decode()
    listing = client.get(reverse("oversight:spot_checks")).content.decode()
    assert str(YEAR) in listing


def test_record_form_with_photo_then_close_shows_follow_up(
    world, django_capture_on_commit_callbacks
):
    v = _visit(world, covert=True)
    client = world.client("body_admin")
    form = client.get(reverse("oversight:visit_record", args=[v.code])).content.decode()
    assert 'capture="environment"' in form and 'name="ok_pledges"' in form
    photo = SimpleUploadedFile("现场.png", evidence_files.png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("oversight:visit_record", args=[v.code]), {**_record_post(), "evidence": photo}
        )
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.result == "failed" and v.evidence.count() == 1
    assert [row["ok"] for row in v.findings].count(False) == 1
    page = client.get(reverse("oversight:visit", args=[v.code])).content.decode()
    assert 'data-testid="files"' in page and "服务承诺未公开" in page
    r = client.post(reverse("oversight:visit_close", args=[v.code]))
    assert r.status_code == 200  # asks first
    r = client.post(reverse("oversight:visit_close", args=[v.code]), {"confirmed": "1"})
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == VisitStatus.CLOSED


def test_record_form_errors_stay_on_the_form(world):
    v = _visit(world)
    r = world.client("city_admin").post(
        reverse("oversight:visit_record", args=[v.code]), _record_post(summary="")
    )
    assert r.status_code == 400 and "须写明发现的问题" in r.content.decode()


def test_manager_sees_covert_visit_only_once_closed(world):
    v = _visit(world, covert=True, status=VisitStatus.RECORDED)
    manager = world.client("manager")
    assert v.code not in manager.get(reverse("oversight:my_visits")).content.decode()
    assert manager.get(reverse("oversight:visit", args=[v.code])).status_code == 404
    Visit.objects.filter(pk=v.pk).update(status=VisitStatus.CLOSED, result="passed")
    assert v.code in manager.get(reverse("oversight:my_visits")).content.decode()
    page = manager.get(reverse("oversight:visit", args=[v.code]))
    assert page.status_code == 200 and 'data-testid="files"' not in page.content.decode()
    assert manager.get(reverse("oversight:visits")).status_code == 403


def test_visits_filters_and_export(world):
    _visit(world, covert=True)
    announced = _visit(world)
    client = world.client("city_admin")
    page = client.get(reverse("oversight:visits") + "?covert=announced").content.decode()
    assert page.count('data-testid="visits"') == 1
    assert page.count(reverse("oversight:visit", args=[announced.code])) == 1
    assert "暗访</span>" not in page
    export = client.get(reverse("oversight:visits") + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_adhoc_visit_page(world):
    client = world.client("body_admin")
    url = reverse("oversight:visit_new", args=[world.title.code])
    assert client.get(url).status_code == 200
    r = client.post(url, {"planned_on": timezone.localdate().isoformat(), "covert": "on"})
    assert r.status_code == 302
    assert Visit.objects.get().reason == VisitReason.OTHER


def test_public_page_redraws_and_publishes_the_population(world):
    for _ in range(5):
        fo.city_title(world.body)
    check = svc.draw_year(world.actor("city_admin"), year=YEAR, pct=40, seed="pub1")
    client = world.client("anonymous")
    url = reverse("oversight_public:spot_check", args=[check.code])
    page = client.get(url).content.decode()
    assert "pub1" in page and 'data-testid="snippet"' in page
    same = client.get(url + "?seed=pub1").content.decode()
    assert "与公布的样本一致" in same
    seed = next(s for s in ("a", "b", "c", "d", "e") if svc.redraw(check, s) != check.drawn)
    assert "与公布的样本不一致" in client.get(url + f"?seed={seed}").content.decode()
    bad = client.get(url + "?seed=空格 x")
    assert bad.status_code == 400
    data = json.loads(
        client.get(reverse("oversight_public:spot_check_population", args=[check.code])).content
    )
    assert data["seed"] == "pub1" and len(data["population"]) == 6
    assert data["drawn"] == check.drawn
    assert "13800" not in json.dumps(data)  # no phone or person in it


def test_list_pages_keep_their_query_count(world):
    check = SpotCheck.objects.create(
        year=YEAR, pct=20, seed="x", drawn_by=world.users["city_admin"]
    )
    client = world.client("city_admin")

    def grow():
        for _ in range(2):
            t = fo.city_title(world.body)
            Visit.objects.create(
                spot_check=check, title=t, collective=t.collective, reason=VisitReason.RANDOM
            )

    assert_constant_queries(lambda: client.get(reverse("oversight:visits")), grow)
    assert_constant_queries(lambda: client.get(reverse("oversight:spot_checks")), grow)


def test_public_sample_escapes_names(world):
    f.title(f.collective(world.body, name="<b>青年岗</b>"), Level.CITY)
    check = svc.draw_year(world.actor("city_admin"), year=YEAR, pct=100, seed="esc")
    page = world.client("anonymous").get(reverse("oversight_public:spot_check", args=[check.code]))
    html = page.content.decode()
    assert "&lt;b&gt;青年岗&lt;/b&gt;" in html and "<b>青年岗</b>" not in html


def test_a_failed_visit_offers_only_the_follow_ups_the_reader_may_use(world):
    v = _visit(world, status=VisitStatus.RECORDED)
    Visit.objects.filter(pk=v.pk).update(result="failed")
    url = reverse("oversight:visit", args=[v.code])
    body = world.client("body_admin").get(url).content.decode()
    assert reverse("oversight:sanction_propose") in body
    assert reverse("oversight:rectification_order") in body
    assert reverse("oversight:sanction_impose") not in body  # the city's act
    city = world.client("city_admin").get(url).content.decode()
    assert reverse("oversight:sanction_impose") in city


def test_the_draw_page_costs_the_same_queries_for_a_larger_draw(world):
    """The strata's towns and sectors are named in one statement and the draw's summary is
    read once, however many strata the draw has."""
    client = world.client("city_admin")

    def draw(year: int, strata: int) -> str:
        for _ in range(strata):
            t = fo.city_title(world.body, sector=f.sector())
            Collective.objects.filter(pk=t.collective_id).update(town=f.town())
        check = svc.draw_year(world.actor("city_admin"), year=year, pct=50, seed=f"s{year}")
        url = reverse("oversight:spot_check", args=[check.code])
        client.get(url)  # warm: the first view keeps the summary in the cache
        return url

    small_url = draw(YEAR - 1, 1)
    small = count_queries(lambda: client.get(small_url))
    large_url = draw(YEAR, 4)
    page = client.get(large_url).content.decode()
    assert page.count("<tr><td>") >= 5  # one row per stratum
    assert count_queries(lambda: client.get(large_url)) == small


def test_the_first_page_and_later_pages_list_the_visits_in_one_order(world, settings):
    """The first page reads its rows with their joins in one statement, later pages find their
    ids first: together they list every visit once, in the list's order."""
    settings.PAGE_SIZE = 1
    visits = [_visit(world) for _ in range(3)]
    client = world.client("city_admin")
    url = reverse("oversight:visits")
    pages = [client.get(url).content.decode()]
    pages += [client.get(f"{url}?page={n}").content.decode() for n in (2, 3)]
    shown = [
        next(v.code for v in visits if reverse("oversight:visit", args=[v.code]) in page)
        for page in pages
    ]
    assert shown == [v.code for v in sorted(visits, key=lambda v: -v.id)]
