"""The re-review's pages: opening a campaign, progress per body, the cases list with filters
and export, a case's forms for each reader, the manager's own cases, closing; and their query
counts at two data sizes."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qnwmh.oversight.models import AnnualReview, CaseStatus, Outcome, ReviewCase, Source
from qnwmh.oversight.services import review as services
from tests import factories_oversight as fo
from tests.querycount import assert_constant_queries

TODAY = timezone.localdate()


def _review(world: Any) -> AnnualReview:
    return fo.review([world.title], year=2030)


def _scores(case: ReviewCase, source: str, less: int = 0) -> dict[str, Any]:
    items = case.review.standard.items.filter(source=source)
    return {f"score_{i.id}": i.points - less for i in items}


def test_the_city_opens_a_campaign_from_the_form(world: Any) -> None:
    s = fo.standard(TODAY.year)
    client = world.client("city_admin")
    page = client.get(reverse("oversight:review_open"))
    assert page.status_code == 200 and s.name in page.content.decode()
    response = client.post(
        reverse("oversight:review_open"),
        {
            "year": TODAY.year,
            "standard": s.pk,
            "self_report_due": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "assessment_due": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "团委评价截止日期不能早于自评截止日期" in response.content.decode()
    assert not AnnualReview.objects.exists()
    response = client.post(
        reverse("oversight:review_open"),
        {
            "year": TODAY.year,
            "standard": s.pk,
            "self_report_due": (TODAY + datetime.timedelta(days=7)).isoformat(),
            "assessment_due": (TODAY + datetime.timedelta(days=14)).isoformat(),
        },
    )
    r = AnnualReview.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(r.code + "/")
    page = client.get(reverse("oversight:review", args=[r.code])).content.decode()
    assert world.body.name in page


def test_progress_per_body_counts_by_status_and_scope(world: Any) -> None:
    other = fo.city_title(world.other_body)
    r = fo.review([world.title, other], year=2030)
    r.cases.filter(title=other).update(status=CaseStatus.ASSESSED)
    city = world.client("city_admin").get(reverse("oversight:review", args=[r.code]))
    rows = city.context["rows"]
    assert {p.name: p.counts for p in rows} == {
        world.body.name: {CaseStatus.AWAITING_SELF: 1},
        world.other_body.name: {CaseStatus.ASSESSED: 1},
    }
    body = world.client("body_admin").get(reverse("oversight:review", args=[r.code]))
    assert [p.name for p in body.context["rows"]] == [world.body.name]


def test_the_cases_list_filters_and_exports(world: Any) -> None:
    other = fo.city_title(world.body)
    r = fo.review([world.title, other], year=2030)
    r.cases.filter(title=other).update(status=CaseStatus.ASSESSED, proposed_outcome=Outcome.PASS)
    client = world.client("city_admin")
    url = reverse("oversight:review_cases", args=[r.code])
    page = client.get(url, {"status": CaseStatus.ASSESSED})
    assert [c.title_id for c in page.context["page"]] == [other.id]
    page = client.get(url, {"proposed": Outcome.PASS, "status": "nonsense"})
    assert [c.title_id for c in page.context["page"]] == [other.id]
    export = client.get(reverse("oversight:review_cases_export", args=[r.code]))
    assert export.status_code == 200
    assert "spreadsheetml" in export["Content-Type"]


def test_the_manager_self_reports_with_a_photo_then_the_body_assesses(world: Any) -> None:
    import io

    from PIL import Image

    r = _review(world)
    case = r.cases.get()
    manager = world.client("manager")
    url = reverse("oversight:review_case", args=[case.code])
    page = manager.get(url)
    assert "self_form" in page.context and "assess_form" not in page.context
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "JPEG")
    photo = SimpleUploadedFile("窗口.jpg", buf.getvalue(), content_type="image/jpeg")
    with_files = {**_scores(case, Source.SELF), "evidence": [photo]}
    response = manager.post(reverse("oversight:review_self_report", args=[case.code]), with_files)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SELF_REPORTED and case.evidence.count() == 1
    assert "窗口.jpg" in manager.get(url).content.decode()

    body = world.client("body_admin")
    page = body.get(url)
    assert "assess_form" in page.context and "self_form" not in page.context
    response = body.post(
        reverse("oversight:review_assess", args=[case.code]),
        {**_scores(case, Source.BODY), "proposed_outcome": Outcome.REVOKE, "note": ""},
    )
    assert response.status_code == 200 and "请填写评价意见" in response.content.decode()
    response = body.post(
        reverse("oversight:review_assess", args=[case.code]), _scores(case, Source.BODY)
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED

    city = world.client("city_admin")
    assert "decide_form" in city.get(url).context
    asked = city.post(
        reverse("oversight:review_decide", args=[case.code]), {"outcome": case.proposed_outcome}
    )
    assert asked.status_code == 200  # the question first
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED


def test_a_refused_decision_comes_back_as_a_message(world: Any) -> None:
    r = _review(world)
    case = r.cases.get()
    r.cases.update(status=CaseStatus.ASSESSED, proposed_outcome=Outcome.PASS)
    city = world.client("city_admin")
    response = city.post(
        reverse("oversight:review_decide", args=[case.code]),
        {"outcome": Outcome.WARNING, "reason": "", "confirmed": "1"},
        follow=True,
    )
    assert "请填写理由" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED


def test_my_reviews_lists_only_the_managers_cases(world: Any) -> None:
    other = fo.city_title(world.body)
    _ = fo.review([world.title, other], year=2030)
    page = world.client("manager").get(reverse("oversight:my_reviews"))
    assert [c.title_id for c in page.context["page"]] == [world.title.id]


def test_close_shows_what_is_left_then_closes(world: Any) -> None:
    r = _review(world)
    city = world.client("city_admin")
    url = reverse("oversight:review_close", args=[r.code])
    assert "1 个复核个案未确认" in city.get(url).content.decode()
    services.force(world.actor("city_admin"), r.cases.get(), outcome=Outcome.PASS, reason="核查")
    response = city.post(url, {"note": "完成", "confirmed": "1"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "closed"


# Query counts ------------------------------------------------------------------------------------


def _grower(world: Any, r: AnnualReview):
    def grow() -> None:
        for body in (world.body, world.other_body):
            t = fo.city_title(body)
            ReviewCase.objects.create(
                review=r, title=t, collective=t.collective, body=body, status="awaiting_self"
            )

    return grow


def test_the_review_page_and_cases_list_cost_constant_queries(world: Any) -> None:
    r = _review(world)
    grow = _grower(world, r)
    for role in ("city_admin", "body_admin"):
        client = world.client(role)
        for name in ("oversight:review", "oversight:review_cases"):
            url = reverse(name, args=[r.code])
            assert_constant_queries(lambda url=url, client=client: client.get(url), grow)
    client = world.client("city_admin")
    assert_constant_queries(lambda: client.get(reverse("oversight:reviews")), grow)


def test_my_reviews_costs_constant_queries(world: Any) -> None:
    client = world.client("manager")

    def grow() -> None:  # two cases: a list longer than a page (tests.querycount)
        for _ in range(2):
            fo.review([world.title], year=2030 + ReviewCase.objects.count())

    assert_constant_queries(lambda: client.get(reverse("oversight:my_reviews")), grow)
