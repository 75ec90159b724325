"""Applications (申报): a collective with a filed registration applies in its cycle's round;
eligibility is re-checked on the certification date; the self-assessment per dimension links
the collective's own log entries and evidence; submission (inside the window) locks it and
attaches the cycle's supervision figures (社会评价); the managing body recommends with a text
and a rank (the collective must have passed the knowledge test), returns with a reason, or
withdraws; the collective may withdraw. Each step is audited and notified."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.certification.models import (
    APPLICATION_TRANSITIONS,
    LIVE_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    CertificationRound,
    ReviewArea,
    RoundStatus,
    SelfAssessment,
)
from qnwmh.collectives.eligibility import EligibilityResult, check_eligibility
from qnwmh.collectives.models import Collective, Eligibility
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError, NotFound
from qnwmh.core.facts import encode
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_texts
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.models import COUNTED_STATUSES, Registration
from qnwmh.cycles.services import frozen_rules
from qnwmh.evidence.models import EvidenceFile
from qnwmh.knowledge.selectors import results_for
from qnwmh.notices.services import body_admins, city_admins, collective_managers, notify
from qnwmh.programme.models import Dimension
from qnwmh.supervision.selectors import public_appraisal

TEXT_MAX = 5000


def application_url(app: Application) -> str:
    return reverse("certification:application", args=[app.round.code, app.code])


# Checks -----------------------------------------------------------------------------------------


def check_window(r: CertificationRound) -> None:
    """Applications are made, changed and submitted only while the round takes them."""
    if r.status != RoundStatus.APPLICATIONS:
        raise DomainError(_("本轮评选认定当前不受理申报。"), code="window")
    today = timezone.localdate()
    if not r.applications_open_on <= today <= r.applications_close_on:
        raise DomainError(
            _("申报时间为 %(a)s 至 %(b)s。")
            % {"a": r.applications_open_on.isoformat(), "b": r.applications_close_on.isoformat()},
            code="window",
        )


def eligibility_on(r: CertificationRound, collective: Collective) -> EligibilityResult:
    members = list(collective.members.current().only("birth_date", "nationality", "is_leader"))
    return check_eligibility(members, frozen_rules(r.cycle), r.reference_date)


def _checks_json(result: EligibilityResult) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "label": encode(c.label),
            "status": str(c.status),
            "actual": encode(c.actual),
            "required": encode(c.required),
        }
        for c in result.checks
    ]


def _recheck_eligibility(app: Application) -> None:
    """Re-check rule by rule on the certification date; keep the result, refuse if unmet."""
    result = eligibility_on(app.round, app.collective)
    app.eligibility = str(result.status)
    app.eligibility_checks = _checks_json(result)
    app.eligibility_on = result.on
    failed = [c for c in result.checks if c.status == Eligibility.NOT_MET]
    if failed:
        lines = "；".join(
            _("%(label)s：实际 %(actual)s，要求 %(required)s")
            % {"label": c.label, "actual": c.actual, "required": c.required}
            for c in failed
        )
        raise DomainError(
            _("该集体不符合认定条件（按 %(on)s 计算）：%(lines)s")
            % {"on": result.on.isoformat(), "lines": lines},
            code="ineligible",
        )


def _filed_registration(r: CertificationRound, collective: Collective) -> Registration:
    reg = (
        Registration.objects.filter(
            cycle_id=r.cycle_id, collective=collective, status__in=COUNTED_STATUSES
        )
        .order_by("-filed_at")
        .first()
    )
    if reg is None:
        raise DomainError(_("只有本周期报备已通过的集体才能申报。"), code="not_registered")
    return reg


def _snap(app: Application) -> dict[str, Any]:
    return snapshot(app, ["status", "body_rank", "recommendation", "area", "eligibility"])


# Creating and editing ---------------------------------------------------------------------------


@transaction.atomic
def application_create(
    actor: Actor, *, round: CertificationRound, collective: Collective
) -> Application:
    require(actor, "certification.apply", collective)
    r = lock(CertificationRound, round.pk)
    check_window(r)
    collective = lock(Collective, collective.pk)
    reg = _filed_registration(r, collective)
    if Application.objects.filter(
        round=r, collective=collective, status__in=LIVE_APPLICATION_STATUSES
    ).exists():
        raise DomainError(_("该集体在本轮已有申报。"))
    app = Application(
        round=r,
        registration=reg,
        collective=collective,
        body_id=reg.body_id,
        town_id=reg.town_id,
        special_recommendation=reg.special_recommendation,
        created_by=actor.user,
    )
    _recheck_eligibility(app)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:  # a concurrent application of the same collective won the race
        raise DomainError(_("该集体在本轮已有申报。")) from None
    SelfAssessment.objects.bulk_create(
        [SelfAssessment(application=app, dimension=d) for d in Dimension.values]
    )
    log_action(actor, app, "certification.application.created", after=_snap(app))
    return app


def _pick(model: Any, allowed: Any, codes: Iterable[str]) -> list[Any]:
    """The collective's own rows by code; any other code is a tampered form (404)."""
    wanted = {str(c) for c in codes if c}
    found = list(allowed.filter(code__in=wanted))
    if len(found) != len(wanted):
        raise NotFound(_("所选的记录不存在。"))
    return found


def own_entries(app: Application) -> Any:
    return LogEntry.objects.filter(collective_id=app.collective_id, cycle_id=app.round.cycle_id)


def own_files(app: Application) -> Any:
    return EvidenceFile.objects.filter(collective_id=app.collective_id)


@transaction.atomic
def application_save(
    actor: Actor,
    *,
    application: Application,
    statement: str | None = None,
    assessments: dict[str, dict[str, Any]] | None = None,
) -> Application:
    """Save the statement and the self-assessment: ``assessments`` maps a dimension to
    ``{"text": …, "entries": [log entry codes], "files": [evidence codes]}``."""
    require(actor, "certification.apply", application.collective)
    app = lock(Application, application.pk)
    if not app.editable:
        raise DomainError(_("申报已提交，不能再修改。"), code="locked")
    check_window(app.round)
    unknown = set(assessments or {}) - set(Dimension.values)
    if unknown:
        raise DomainError(_("未知的评分维度：%(d)s") % {"d": "、".join(sorted(unknown))})
    if statement is not None:
        check_texts({"statement": statement}, ("statement",))
        app.statement = statement.strip()[:TEXT_MAX]
        app.save(update_fields=["statement", "updated_at"])
    rows = {a.dimension: a for a in app.assessments.all()}
    changed = []
    for dimension, values in (assessments or {}).items():
        row = rows.get(dimension) or SelfAssessment.objects.create(
            application=app, dimension=dimension
        )
        if "text" in values:
            text = str(values["text"] or "")
            check_texts({f"text_{dimension}": text}, (f"text_{dimension}",))
            row.text = text.strip()[:TEXT_MAX]
            row.save(update_fields=["text", "updated_at"])
        if "entries" in values:
            row.entries.set(_pick(LogEntry, own_entries(app), values["entries"]))
        if "files" in values:
            row.files.set(_pick(EvidenceFile, own_files(app), values["files"]))
        changed.append(dimension)
    log_action(
        actor,
        app,
        "certification.application.saved",
        data={"dimensions": changed, "statement": statement is not None},
    )
    return app


# Submission -------------------------------------------------------------------------------------


def _area_for(app: Application) -> ReviewArea | None:
    return ReviewArea.objects.filter(active=True, towns=app.town_id).order_by("sort_order").first()


def _appraisal(app: Application) -> dict[str, Any]:
    cycle = app.round.cycle
    start, end = cycle.registration_opens_on, min(timezone.localdate(), cycle.certification_ends_on)
    figures = public_appraisal([app.collective_id], start, end)[app.collective_id]
    return {**figures, "from": start.isoformat(), "to": end.isoformat()}


def _check_complete(app: Application) -> None:
    if not app.statement.strip():
        raise DomainError(_("请填写事迹材料。"), field="statement")
    missing = [
        str(Dimension(a.dimension).label)
        for a in app.assessments.all()
        if not a.text.strip() and a.dimension != Dimension.PUBLIC_APPRAISAL
    ]
    if missing:
        raise DomainError(_("请填写以下维度的自评：%(d)s") % {"d": "、".join(missing)})


@transaction.atomic
def application_submit(actor: Actor, *, application: Application) -> Application:
    require(actor, "certification.apply", application.collective)
    app = lock(Application, application.pk)
    check_window(app.round)
    before = _snap(app)
    APPLICATION_TRANSITIONS.move(app, ApplicationStatus.SUBMITTED)
    _check_complete(app)
    _recheck_eligibility(app)
    app.appraisal = _appraisal(app)
    app.area = _area_for(app)
    app.submitted_at = timezone.now()
    app.return_reason = ""
    app.save()
    log_action(
        actor,
        app,
        "certification.application.submitted",
        before=before,
        after=_snap(app),
        data={"appraisal": app.appraisal},
    )
    notify(
        body_admins(app.body_id),
        link=application_url(app),
        code="certification.application.submitted",
        params={"c": app.collective.name},
    )
    return app


# The body's decision ----------------------------------------------------------------------------


def test_passed(app: Application) -> bool:
    exam = app.round.exam
    if exam is None:
        return False
    return results_for(exam, [app.collective_id])[app.collective_id].passed


def _check_rank(app: Application, rank: int) -> None:
    if rank < 1:
        raise DomainError(_("推荐排序须为正整数。"), field="rank")
    taken = (
        Application.objects.filter(
            round_id=app.round_id,
            body_id=app.body_id,
            status=ApplicationStatus.RECOMMENDED,
            body_rank=rank,
        )
        .exclude(pk=app.pk)
        .select_related("collective")
        .first()
    )
    if taken is not None:
        raise DomainError(
            _("排序 %(n)s 已给了 %(c)s，请换一个数字。") % {"n": rank, "c": taken.collective.name},
            field="rank",
        )


def _check_body_may_decide(app: Application) -> None:
    if app.round.status != RoundStatus.APPLICATIONS:
        raise DomainError(_("申报已截止，不能再推荐或退回。"), code="window")


@transaction.atomic
def application_recommend(
    actor: Actor, *, application: Application, text: str, rank: int
) -> Application:
    require(actor, "certification.recommend", application)
    app = lock(Application, application.pk)
    _check_body_may_decide(app)
    APPLICATION_TRANSITIONS.check(app, ApplicationStatus.RECOMMENDED)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写推荐意见。"), field="recommendation")
    check_texts({"recommendation": text}, ("recommendation",))
    _check_rank(app, rank)
    if not test_passed(app):
        raise DomainError(
            _("该集体尚未通过知识测试，不能推荐。"), code="test_not_passed", field="recommendation"
        )
    before = _snap(app)
    APPLICATION_TRANSITIONS.move(app, ApplicationStatus.RECOMMENDED)
    app.recommendation = text[:TEXT_MAX]
    app.body_rank = rank
    app.recommended_by = actor.user
    app.recommended_at = timezone.now()
    app.save()
    log_action(actor, app, "certification.application.recommended", before=before, after=_snap(app))
    notify(
        [*collective_managers(app.collective_id), *city_admins()],
        link=application_url(app),
        code="certification.application.recommended",
        params={"c": app.collective.name, "b": app.body.name, "rank": rank},
    )
    return app


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因。"), field="reason")
    check_texts({"reason": reason}, ("reason",))
    return reason[:TEXT_MAX]


@transaction.atomic
def application_return(actor: Actor, *, application: Application, reason: str) -> Application:
    """The body sends the application back for changes (the collective resubmits)."""
    require(actor, "certification.recommend", application)
    reason = _reason(reason)
    app = lock(Application, application.pk)
    _check_body_may_decide(app)
    before = _snap(app)
    was_recommended = app.status == ApplicationStatus.RECOMMENDED
    APPLICATION_TRANSITIONS.move(app, ApplicationStatus.RETURNED)
    app.return_reason = reason
    app.body_rank = None
    app.recommended_at = None
    app.recommended_by = None
    app.save()
    log_action(
        actor,
        app,
        "certification.application.returned",
        before=before,
        after=_snap(app),
        data={"reason": reason},
    )
    notify(
        [*collective_managers(app.collective_id), *(city_admins() if was_recommended else [])],
        link=application_url(app),
        code="certification.application.returned",
        params={"c": app.collective.name, "r": reason},
    )
    return app


@transaction.atomic
def application_withdraw(actor: Actor, *, application: Application, reason: str) -> Application:
    """The collective (its manager) or its managing body withdraws the application."""
    require(actor, "certification.withdraw", application)
    by_body = application.body_id in actor.body_ids
    reason = _reason(reason)
    app = lock(Application, application.pk)
    if app.round.status == RoundStatus.CLOSED:
        raise DomainError(_("评选认定已截止，不能再撤回申报。"))
    before = _snap(app)
    was_recommended = app.status == ApplicationStatus.RECOMMENDED
    APPLICATION_TRANSITIONS.move(app, ApplicationStatus.WITHDRAWN)
    app.withdraw_reason = reason
    app.body_rank = None
    app.save()
    log_action(
        actor,
        app,
        "certification.application.withdrawn",
        before=before,
        after=_snap(app),
        data={"reason": reason, "by_body": by_body},
    )
    others = body_admins(app.body_id) if not by_body else collective_managers(app.collective_id)
    notify(
        [u for u in [*others, *(city_admins() if was_recommended else [])] if u != actor.user],
        link=application_url(app),
        code="certification.application.withdrawn",
        params={"c": app.collective.name, "r": reason},
    )
    return app
