"""The sanctions part's pages: the forms offer only what the ladder allows and preselect the
basis other pages link with; a body proposes, the city confirms; the manager reports from a
phone form with a camera; the title's history is reached from the collective's page; the
lists are scoped, filtered, exported, and cost the same queries whatever their length."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qnwmh.collectives.models import TitleStatus
from qnwmh.oversight.models import (
    Rectification,
    RectificationStatus,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Visit,
    VisitReason,
    VisitStatus,
)
from tests import factories_oversight as fo
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _visit(title: Any, *, covert: bool = False) -> Visit:
    return Visit.objects.create(
        title=title,
        collective=title.collective,
        reason=VisitReason.RANDOM,
        covert=covert,
        status=VisitStatus.RECORDED,
        visited_on=timezone.localdate(),
    )


def test_propose_form_offers_the_ladder_and_preselects_the_visit(world: Any) -> None:
    visit = _visit(world.title)
    url = reverse("oversight:sanction_propose")
    page = world.client("body_admin").get(url, {"title": world.title.code, "visit": visit.code})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="warning"' in html and 'value="revocation"' in html
    assert 'value="star_down"' not in html  # not the next step from good standing
    assert "违法违纪（立即撤销）" in html
    assert f'value="{visit.code}"' in html and '<option value="spot_check" selected>' in html


def test_body_proposes_with_the_visit_and_the_city_confirms(world: Any) -> None:
    visit = _visit(world.title)
    body = world.client("body_admin")
    response = body.post(
        reverse("oversight:sanction_propose") + f"?title={world.title.code}",
        {
            "title": world.title.code,
            "kind": "warning",
            "basis": "spot_check",
            "reference": visit.code,
            "reason": "暗访发现窗口无人值守。",
        },
    )
    s = Sanction.objects.get(title=world.title)
    assert response.status_code == 302 and s.visit == visit and s.status == SanctionStatus.PROPOSED
    detail = world.client("city_admin").get(reverse("oversight:sanction", args=[s.code]))
    assert b'data-testid="confirm"' in detail.content
    world.client("city_admin").post(reverse("oversight:sanction_confirm", args=[s.code]), {})
    s.refresh_from_db()
    assert s.status == SanctionStatus.IMPOSED


def test_a_reference_of_another_collective_is_refused_on_the_form(world: Any) -> None:
    other = _visit(fo.city_title())
    response = world.client("city_admin").post(
        reverse("oversight:sanction_impose"),
        {
            "title": world.title.code,
            "kind": "warning",
            "basis": "spot_check",
            "reference": other.code,
            "reason": "x",
        },
    )
    assert response.status_code == 400 and "未找到该集体的此编号记录" in response.content.decode()
    assert not Sanction.objects.filter(title=world.title).exists()


def test_the_ladder_refusal_shows_on_the_form(world: Any) -> None:
    response = world.client("city_admin").post(
        reverse("oversight:sanction_impose"),
        {
            "title": world.title.code,
            "kind": "revocation",
            "category": "ladder",
            "basis": "other",
            "reason": "直接撤销",
        },
    )
    assert response.status_code == 400 and "下一步应为" in response.content.decode()


def test_confirming_a_revocation_asks_first(world: Any) -> None:
    s = fo.sanction(
        world.title,
        SanctionKind.REVOCATION,
        status=SanctionStatus.PROPOSED,
        category="press_exposure",
    )
    city = world.client("city_admin")
    url = reverse("oversight:sanction_confirm", args=[s.code])
    assert city.post(url, {}).status_code == 200  # the question
    city.post(url, {"confirmed": "1"})
    world.title.refresh_from_db()
    assert world.title.status == TitleStatus.REVOKED


def test_withdraw_needs_a_note(world: Any) -> None:
    s = fo.sanction(world.title, status=SanctionStatus.PROPOSED)
    city = world.client("city_admin")
    response = city.post(reverse("oversight:sanction_withdraw", args=[s.code]), {"note": ""})
    assert response.status_code == 400 and "请填写撤回理由" in response.content.decode()


def test_manager_reports_from_a_phone_form_and_the_body_verifies(world: Any) -> None:
    r = fo.rectification(world.title)
    manager = world.client("manager")
    form = manager.get(reverse("oversight:rectification_report", args=[r.code])).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*' in form
    manager.post(reverse("oversight:rectification_report", args=[r.code]), {"text": "已整改。"})
    r.refresh_from_db()
    assert r.status == RectificationStatus.REPORTED
    world.client("body_admin").post(
        reverse("oversight:rectification_verify", args=[r.code]),
        {"passed": "0", "note": "仍未整改到位。"},
    )
    r.refresh_from_db()
    assert r.status == RectificationStatus.FAILED
    assert Sanction.objects.get(rectification=r).status == SanctionStatus.PROPOSED


def test_order_form_defaults_the_deadline_and_orders(world: Any) -> None:
    body = world.client("body_admin")
    url = reverse("oversight:rectification_order")
    page = body.get(url, {"title": world.title.code}).content.decode()
    from qnwmh.oversight.services.rectification import default_due

    assert default_due().isoformat() in page
    body.post(
        url,
        {
            "title": world.title.code,
            "basis": "complaint",
            "requirements": "公开服务承诺。",
            "due_on": default_due().isoformat(),
        },
    )
    assert Rectification.objects.filter(title=world.title).count() == 1


def test_title_history_from_the_collective_page_hides_covert_visits_from_managers(
    world: Any,
) -> None:
    collective = world.client("manager").get(
        reverse("collectives:detail", args=[world.collective.code])
    )
    history = reverse("oversight:title", args=[world.title.code])
    assert history in collective.content.decode()
    _visit(world.title, covert=True)
    fo.sanction(world.title)
    assert "暗访" in world.client("body_admin").get(history).content.decode()
    manager_page = world.client("manager").get(history).content.decode()
    assert "暗访" not in manager_page and "警告提醒" in manager_page
    # No action is offered to the managers.
    assert "直接处理" not in manager_page and "建议处理" not in manager_page


def test_lists_are_scoped_and_filtered(world: Any) -> None:
    fo.sanction(world.title)
    fo.sanction(fo.city_title(world.other_body), SanctionKind.WARNING)
    outsider = world.client("outsider").get(reverse("oversight:sanctions"))
    assert world.collective.name not in outsider.content.decode()
    city = world.client("city_admin")
    assert world.collective.name in city.get(reverse("oversight:sanctions")).content.decode()
    filtered = city.get(reverse("oversight:sanctions"), {"status": "proposed"}).content.decode()
    assert world.collective.name not in filtered
    fo.rectification(world.title, due_on=timezone.localdate() - timezone.timedelta(days=1))
    overdue = world.client("manager").get(reverse("oversight:rectifications"), {"state": "overdue"})
    assert world.collective.name in overdue.content.decode()


def test_exports(world: Any) -> None:
    fo.sanction(world.title)
    fo.rectification(world.title)
    for name in ("oversight:sanctions", "oversight:rectifications"):
        response = world.client("city_admin").get(reverse(name), {"format": "xlsx"})
        assert response.status_code == 200
        assert "spreadsheetml" in response["Content-Type"]


def test_lists_and_history_cost_constant_queries(world: Any) -> None:
    city = world.client("city_admin")

    def grow() -> None:
        for _ in range(3):
            t = fo.city_title(world.body)
            fo.sanction(t)
            fo.rectification(t)
            fo.sanction(world.title, status=SanctionStatus.WITHDRAWN)
            _visit(world.title)

    for url in (
        reverse("oversight:sanctions"),
        reverse("oversight:rectifications"),
        reverse("oversight:title", args=[world.title.code]),
    ):
        assert_constant_queries(lambda url=url: city.get(url), grow)


def test_the_city_imposes_with_evidence_which_the_managers_do_not_see(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import evidence_files

    photo = SimpleUploadedFile("现场.png", evidence_files.png(), content_type="image/png")
    # The file is written to storage when the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("city_admin").post(
            reverse("oversight:sanction_impose") + f"?title={world.title.code}",
            {
                "title": world.title.code,
                "kind": "warning",
                "basis": "press",
                "basis_note": "中山日报",
                "reason": "媒体报道窗口服务态度差，经核查属实。",
                "files": photo,
            },
        )
    s = Sanction.objects.get(title=world.title)
    assert response.status_code == 302 and s.evidence.count() == 1
    code = s.evidence.get().code
    assert (
        code
        in world.client("city_admin")
        .get(reverse("oversight:sanction", args=[s.code]))
        .content.decode()
    )
    file_url = reverse("evidence:file", args=[code])
    assert world.client("city_admin").get(file_url).status_code == 200
    assert world.client("manager").get(file_url).status_code == 404
