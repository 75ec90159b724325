"""Score sheets: save a draft, submit (locks it), a panel chair's reopen, a secretary's entry
of a paper sheet. Every change recomputes the application's aggregate in the same
transaction, so lists never show a total the sheets do not back."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.certification.models import (
    SHEET_TRANSITIONS,
    Assignment,
    AssignmentStatus,
    RoundStatus,
    ScoreSet,
    ScoreSheet,
    SheetStatus,
)
from qnwmh.certification.services import aggregation
from qnwmh.certification.services.rubric import check_scores, rubric_of
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.evidence.models import EvidenceFile


class ScoreProblems(DomainError):
    """The sheet's points break the rubric; ``fields`` maps each form field to its message."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(_("评分表有误，请按提示修改。"), code="scores")
        self.fields = fields


def sheet_of(assignment: Assignment, score_set: str) -> ScoreSheet:
    """The assignment's sheet for the set, or a new unsaved draft."""
    found = ScoreSheet.objects.filter(assignment=assignment, score_set=score_set).first()
    return found or ScoreSheet(
        assignment=assignment,
        application_id=assignment.application_id,
        reviewer_id=assignment.reviewer_id,
        score_set=score_set,
    )


def _check_open(assignment: Assignment, score_set: str) -> None:
    if score_set not in ScoreSet.values:
        raise DomainError(_("没有这一评分类别。"))
    if assignment.application.round.status != RoundStatus.REVIEW:
        raise DomainError(_("评审阶段未开始或已截止，不能评分。"))
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise DomainError(_("请先接受评审邀请再评分。"))


def _locked_sheet(assignment: Assignment, score_set: str) -> ScoreSheet:
    """Lock the assignment (two tabs cannot both create the sheet) and read its sheet."""
    lock(Assignment, assignment.pk)
    sheet = sheet_of(assignment, score_set)
    if sheet.pk:
        sheet = lock(ScoreSheet, sheet.pk)
    return sheet


def save_sheet(
    actor: Actor,
    *,
    assignment: Assignment,
    score_set: str,
    scores: dict[str, dict[str, Any]],
    submit: bool = False,
) -> ScoreSheet:
    """Save the reviewer's draft, or submit it (then it is locked until a chair reopens it)."""
    require(actor, "certification.score", assignment)
    with transaction.atomic():
        _check_open(assignment, score_set)
        sheet = _locked_sheet(assignment, score_set)
        return _write(actor, sheet, scores, submit=submit, paper=False)


def _write(
    actor: Actor, sheet: ScoreSheet, scores: dict[str, Any], *, submit: bool, paper: bool
) -> ScoreSheet:
    if sheet.status == SheetStatus.SUBMITTED:
        raise DomainError(_("评分表已提交，不能修改；如需更正请联系评审组组长退回。"))
    rubric = rubric_of(sheet.assignment.application.round)
    clean, errors = check_scores(rubric, scores, complete=submit)
    if errors:
        raise ScoreProblems(errors)
    created = sheet.pk is None
    sheet.scores = clean
    sheet.paper = paper or sheet.paper
    if submit:
        SHEET_TRANSITIONS.move(sheet, SheetStatus.SUBMITTED)
        sheet.total = rubric.total(clean)
        sheet.submitted_at = timezone.now()
        sheet.entered_by = actor.user
    sheet.save()
    if submit:
        log_action(
            actor,
            sheet,
            "certification.sheet.paper_entered" if paper else "certification.sheet.submitted",
            data={"score_set": sheet.score_set, "total": str(sheet.total)},
        )
        aggregation.recompute_application(sheet.application)
    elif created:
        log_action(actor, sheet, "certification.sheet.started", data={"set": sheet.score_set})
    return sheet


def reopen_sheet(actor: Actor, *, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The panel chair (or city staff) sends a submitted sheet back to its reviewer."""
    require(actor, "certification.reopen_sheet", sheet)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("请填写退回重评的原因。"), field="reason")
    with transaction.atomic():
        sheet = lock(ScoreSheet, sheet.pk)
        if sheet.application.round.status != RoundStatus.REVIEW:
            raise DomainError(_("评审阶段已截止，不能退回评分表。"))
        SHEET_TRANSITIONS.move(sheet, SheetStatus.REOPENED)
        before = {"total": str(sheet.total)}
        sheet.total = None
        sheet.reopen_reason = reason
        sheet.reopened_by = actor.user
        sheet.reopened_at = timezone.now()
        sheet.save()
        log_action(
            actor, sheet, "certification.sheet.reopened", before=before, data={"reason": reason}
        )
        aggregation.recompute_application(sheet.application)
        _tell_reviewer(sheet, reason)
    return sheet


def _tell_reviewer(sheet: ScoreSheet, reason: str) -> None:
    from qnwmh.notices.services import notify

    link = reverse("certification:sheet", args=[sheet.assignment.code, sheet.score_set])
    user = sheet.reviewer.user
    params = {
        "collective": sheet.application.collective.name,
        "set": sheet.score_set,
        "reason": reason,
    }
    transaction.on_commit(
        lambda: notify([user], code="certification.sheet.reopened", params=params, link=link)
    )


def enter_paper_sheet(
    actor: Actor,
    *,
    assignment: Assignment,
    score_set: str,
    scores: dict[str, dict[str, Any]],
    scan: EvidenceFile | None,
) -> ScoreSheet:
    """The panel secretary (or city staff) types in a paper sheet the reviewer signed; the
    scan is kept with it. Entered sheets are submitted at once."""
    require(actor, "certification.enter_paper", assignment)
    if scan is None:
        raise DomainError(_("请上传签字的纸质评分表扫描件。"), field="scan")
    with transaction.atomic():
        _check_open(assignment, score_set)
        sheet = _locked_sheet(assignment, score_set)
        sheet.scan = scan
        return _write(actor, sheet, scores, submit=True, paper=True)
