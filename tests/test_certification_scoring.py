"""Score sheets: per-field Chinese errors, drafts, the submit lock, others' sheets hidden
until one's own is submitted, the chair's reopen, paper entry and the round's window."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from qnwmh.audit.models import AuditEntry
from qnwmh.certification.models import (
    ApplicationResult,
    AssignmentStatus,
    RoundStatus,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.services import scoring
from qnwmh.certification.services.rubric import check_scores, rubric_of
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import PermissionDenied
from qnwmh.notices.models import Notice
from tests import factories as f
from tests.scoring_helpers import scores, setup

pytestmark = pytest.mark.django_db


def _post(assignment: Any, data: dict[str, dict[str, str]], action: str) -> dict[str, str]:
    out = {"action": action}
    for dim, row in data.items():
        out[f"{dim}_points"] = row["points"]
        out[f"{dim}_comment"] = row["comment"]
    return out


def _submit(world: Any, role: str, assignment: Any, points: Any = "80") -> ScoreSheet:
    user = assignment.reviewer.user
    return scoring.save_sheet(
        f.actor(user), assignment=assignment, score_set="site", scores=scores(points), submit=True
    )


def test_errors_are_per_field_and_in_chinese(world: Any) -> None:
    s = setup(world)
    rubric = rubric_of(s.round)
    _clean, errors = check_scores(
        rubric,
        scores(80, basic_build="120", systems="abc", results="7.25", features="30"),
        complete=True,
    )
    assert errors["basic_build_points"] == "“基础建设”的得分须在 0 至 100 分之间。"
    assert errors["systems_points"] == "请输入数字。"
    assert errors["results_points"] == "分数最多保留一位小数。"
    # 30 < 60% of 100: a comment is required
    assert errors["features_comment"] == "“创建特色”得分低于满分的 60%，请填写评语。"
    assert "outcomes_points" not in errors


def test_a_draft_may_be_partial_but_a_submission_may_not(world: Any) -> None:
    s = setup(world)
    actor = world.actor("reviewer")
    partial = scores(80, systems="")
    sheet = scoring.save_sheet(actor, assignment=s.mine, score_set="site", scores=partial)
    assert sheet.status == SheetStatus.DRAFT and sheet.total is None
    with pytest.raises(scoring.ScoreProblems) as exc:
        scoring.save_sheet(actor, assignment=s.mine, score_set="site", scores=partial, submit=True)
    assert exc.value.fields == {"systems_points": "请为“制度建设”打分。"}


def test_the_page_shows_the_errors_beside_their_fields(world: Any) -> None:
    s = setup(world)
    client = world.client("reviewer")
    url = reverse("certification:sheet", args=[s.mine.code, "site"])
    response = client.post(url, _post(s.mine, scores(80, outcomes="10"), "submit"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "“创建成效”得分低于满分的 60%，请填写评语。" in body
    assert not ScoreSheet.objects.filter(assignment=s.mine).exists()


def test_submit_locks_the_sheet_and_keeps_the_weighted_total(world: Any) -> None:
    s = setup(world)
    rules = s.round.cycle.rules_snapshot or {}
    rubric = [
        {
            "dimension": d,
            "max_points": 50 if d == "basic_build" else 100,
            "weight": 3 if d == "basic_build" else 1,
        }
        for d in scores()
    ]
    s.round.cycle.rules_snapshot = {**rules, "rubric": rubric}
    s.round.cycle.save()
    client = world.client("reviewer")
    url = reverse("certification:sheet", args=[s.mine.code, "site"])
    response = client.post(url, _post(s.mine, scores(80, basic_build="35"), "submit"))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=s.mine, score_set="site")
    # (3 × 35/50×100 + 6 × 80) / 9 = (210 + 480) / 9 = 76.666…
    assert sheet.status == SheetStatus.SUBMITTED and str(sheet.total) == "76.67"
    assert AuditEntry.objects.filter(code="certification.sheet.submitted").count() == 1
    with pytest.raises(DomainError, match="评分表已提交"):
        scoring.save_sheet(
            world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores(90)
        )
    assert client.get(url).context["locked"] is True


def test_others_sheets_show_only_after_ones_own_is_submitted(world: Any) -> None:
    s = setup(world)
    _submit(world, "chair", s.chairs, 65)
    client = world.client("reviewer")
    url = reverse("certification:sheet", args=[s.mine.code, "site"])
    before = client.get(url)
    assert before.context["peers"] is None
    assert "65.00" not in before.content.decode()
    # a draft of one's own is not enough
    scoring.save_sheet(
        world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores(70)
    )
    assert client.get(url).context["peers"] is None
    _submit(world, "reviewer", s.mine, 70)
    after = client.get(url)
    assert [p.total for p, _points in after.context["peers"]] == [s.chairs.sheets.get().total]
    assert "65.00" in after.content.decode()
    # per set: the defence sheet is still hidden
    assert (
        client.get(reverse("certification:sheet", args=[s.mine.code, "defence"])).context["peers"]
        is None
    )


def test_the_chair_reopens_with_a_reason_audited_and_notified(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = setup(world)
    sheet = _submit(world, "reviewer", s.mine, 90)
    chair = f.actor(s.chair.user)
    with pytest.raises(DomainError, match="请填写退回重评的原因"):
        scoring.reopen_sheet(chair, sheet=sheet, reason="  ")
    with pytest.raises(PermissionDenied):
        scoring.reopen_sheet(f.actor(s.third.user), sheet=sheet, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        reopened = scoring.reopen_sheet(chair, sheet=sheet, reason="第三项偏高，请复核")
    assert reopened.status == SheetStatus.REOPENED and reopened.total is None
    assert AuditEntry.objects.filter(code="certification.sheet.reopened").count() == 1
    notice = Notice.objects.get(recipient=world.users["reviewer"])
    assert "第三项偏高" in notice.message
    assert ApplicationResult.objects.get(application=s.app).site_sheets == 0
    # the reviewer edits and submits again
    again = scoring.save_sheet(
        world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores(85), submit=True
    )
    assert again.status == SheetStatus.SUBMITTED and str(again.total) == "85.00"


def test_reopen_page_for_the_chair_only(world: Any) -> None:
    s = setup(world)
    sheet = _submit(world, "reviewer", s.mine, 90)
    url = reverse("certification:sheet_reopen", args=[sheet.code])
    from django.test import Client

    third = Client()
    third.force_login(s.third.user)
    assert third.post(url, {"reason": "x"}).status_code == 404
    chair = Client()
    chair.force_login(s.chair.user)
    assert chair.post(url, {"reason": "请复核"}).status_code == 302
    assert ScoreSheet.objects.get(pk=sheet.pk).status == SheetStatus.REOPENED


def test_scoring_only_while_the_round_is_in_review(world: Any) -> None:
    s = setup(world)
    s.round.status = RoundStatus.CLOSED
    s.round.save()
    url = reverse("certification:sheet", args=[s.mine.code, "site"])
    # the assignment is out of the reviewer's reach once the round is closed
    assert world.client("reviewer").get(url).status_code == 404
    s.mine.refresh_from_db()
    with pytest.raises(DomainError, match="评审阶段未开始或已截止"):
        scoring.save_sheet(
            world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores()
        )


def test_an_invitation_must_be_accepted_first(world: Any) -> None:
    s = setup(world)
    s.mine.status = AssignmentStatus.INVITED
    s.mine.save()
    with pytest.raises(DomainError, match="请先接受评审邀请"):
        scoring.save_sheet(
            world.actor("reviewer"), assignment=s.mine, score_set="site", scores=scores()
        )


def test_another_reviewers_assignment_is_not_found(world: Any) -> None:
    s = setup(world)
    client = world.client("reviewer")
    assert (
        client.get(reverse("certification:sheet", args=[s.chairs.code, "site"])).status_code == 404
    )
    assert (
        client.get(reverse("certification:sheet", args=[s.mine.code, "other"])).status_code == 404
    )
    s.mine.status = AssignmentStatus.CANCELLED
    s.mine.save()
    assert client.get(reverse("certification:sheet", args=[s.mine.code, "site"])).status_code == 404


def test_the_secretary_enters_a_paper_sheet_with_its_scan(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.evidence_files import jpeg

    s = setup(world)
    client = world.client("body_admin")
    url = reverse("certification:paper_entry", args=[s.thirds.code, "defence"])
    data = _post(s.thirds, scores(75), "submit")
    data["scan"] = SimpleUploadedFile("sheet.jpg", jpeg(), content_type="image/jpeg")
    with_capture = client.post(url, data)
    assert with_capture.status_code == 302, with_capture.content.decode()[:2000]
    sheet = ScoreSheet.objects.get(assignment=s.thirds, score_set="defence")
    assert sheet.paper and sheet.scan is not None and sheet.entered_by == world.users["body_admin"]
    assert sheet.status == SheetStatus.SUBMITTED and str(sheet.total) == "75.00"
    # the collective's managers never see the scan
    from qnwmh.evidence.selectors import evidence_visible_to

    assert not evidence_visible_to(world.actor("manager")).filter(pk=sheet.scan_id).exists()


def test_the_outsider_body_admin_cannot_enter_paper_sheets(world: Any) -> None:
    s = setup(world)
    url = reverse("certification:paper_entry", args=[s.thirds.code, "site"])
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("city_admin").get(url).status_code == 200


def test_printable_sheet_is_a_pdf(world: Any) -> None:
    s = setup(world)
    _submit(world, "reviewer", s.mine, 88)
    response = world.client("reviewer").get(reverse("certification:sheet_pdf", args=[s.mine.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    # The Chinese text is there (CJK fonts embedded), one page per score set, own points in.
    assert "现场考核评分表" in text and "集中答辩评分表" in text
    assert world.collective.name in text and "88.00" in text


def test_a_refused_paper_sheet_keeps_no_scan(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qnwmh.evidence.models import EvidenceFile
    from tests.evidence_files import jpeg

    s = setup(world)
    before = EvidenceFile.objects.count()
    data = _post(s.thirds, scores(75, systems="150"), "submit")
    data["scan"] = SimpleUploadedFile("sheet.jpg", jpeg(), content_type="image/jpeg")
    url = reverse("certification:paper_entry", args=[s.thirds.code, "site"])
    response = world.client("city_admin").post(url, data)
    assert response.status_code == 200
    assert "“制度建设”的得分须在 0 至 100 分之间。" in response.content.decode()
    assert EvidenceFile.objects.count() == before
