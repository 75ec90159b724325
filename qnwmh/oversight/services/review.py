"""The annual re-review (年度复核): opening a year's campaign over every active city title, the
collective's self-report, the body's assessment, the city's decision (or its forced decision
of a case nobody assessed) and closing the campaign.

Each act is one transaction with one audit entry; a case is locked while it moves. A decision
other than a pass imposes its sanction through ``services.sanctions.impose`` in the same
transaction, so a ladder refusal undoes the decision and is shown as the message. Opening
creates the cases in bulk (batches of ``BATCH``), the computed scores gathered for all titles
at once (``oversight.metrics``), and writes one audit entry for the campaign, not one per case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action, snapshot
from qnwmh.awards.selectors.nomination import exempt_from_city_review
from qnwmh.collectives.models import HIGHER_LEVELS, Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.codes import new_codes
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.validation import check_text
from qnwmh.evidence.services import store_uploads
from qnwmh.oversight import metrics
from qnwmh.oversight.models import (
    CASE_TRANSITIONS,
    REVIEW_TRANSITIONS,
    AnnualReview,
    Basis,
    CaseStatus,
    Outcome,
    ReviewCase,
    ReviewStatus,
    RevocationCategory,
    SanctionKind,
    Source,
    Standard,
    StandardItem,
)
from qnwmh.oversight.selectors.review import OPEN_CASES
from qnwmh.oversight.services import review_notices as notices
from qnwmh.oversight.services import sanctions

BATCH = 2_000
REVIEW_PURPOSE = "oversight.review"
MAX_FILES = 10
SANCTION_OF = {
    Outcome.WARNING: SanctionKind.WARNING,
    Outcome.STAR_DOWN: SanctionKind.STAR_DOWN,
    Outcome.REVOKE: SanctionKind.REVOCATION,
}


class _Member(NamedTuple):
    """What opening needs of a title, read without building model instances."""

    id: int
    collective_id: int
    awarded_on: datetime.date
    body_id: int
    body_name: str
    collective_key: str


def _city_titles() -> Any:
    return Title.objects.filter(level=Level.CITY, status=TitleStatus.ACTIVE)


def _population() -> list[_Member]:
    rows = (
        _city_titles()
        .order_by("id")
        .values_list(
            "id",
            "collective_id",
            "awarded_on",
            "collective__body_id",
            "collective__body__name",
            "collective__sort_key",
        )
    )
    return [_Member(*row) for row in rows.iterator(chunk_size=BATCH)]


def _exempt() -> dict[int, str]:
    """The exempt titles with their reasons (``awards`` words them), asked only about the city
    titles whose collective holds a higher title in force: a few, not the whole population."""
    higher = Title.objects.filter(
        collective=OuterRef("collective"), level__in=HIGHER_LEVELS, status=TitleStatus.ACTIVE
    )
    ids = list(_city_titles().filter(Exists(higher)).values_list("id", flat=True))
    out: dict[int, str] = {}
    for i in range(0, len(ids), metrics.BATCH):
        out.update(exempt_from_city_review(ids[i : i + metrics.BATCH]))
    return out


def _check_open(
    year: int,
    standard: Standard,
    self_report_due: Any,
    assessment_due: Any,
    note: str,
    today: datetime.date,
) -> None:
    if standard.year != year:
        raise DomainError(
            _("所选考核标准属于 %(y)s 年度，不能用于 %(year)s 年度复核。")
            % {"y": standard.year, "year": year},
            field="standard",
        )
    if AnnualReview.objects.filter(year=year).exists():
        raise DomainError(_("%(year)s 年度复核已经开始，每年只进行一次。") % {"year": year})
    if self_report_due is None or assessment_due is None:
        raise DomainError(_("请填写自评和团委评价的截止日期。"), field="self_report_due")
    if self_report_due < today:
        raise DomainError(_("自评截止日期不能早于今天。"), field="self_report_due")
    if assessment_due < self_report_due:
        raise DomainError(_("团委评价截止日期不能早于自评截止日期。"), field="assessment_due")
    check_text(note, field="note")


@transaction.atomic
def open(
    actor: Actor,
    *,
    year: int,
    standard: Standard,
    self_report_due: datetime.date,
    assessment_due: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> AnnualReview:
    """Open ``year``'s campaign: freeze ``standard`` and create one case per active city title
    (exempt ones marked with the reason, the others awaiting the self-report with their
    computed scores). ``today`` is for replaying a past campaign (the demo); pages and the
    API never pass it."""
    require(actor, "oversight.manage")
    note = note.strip()
    today = today or timezone.localdate()
    # Every version of the year's standard, locked: a campaign can only open on one of them,
    # so two clerks opening the year's campaign at once queue here and the second is refused
    # by the check below (not by the unique year as a server error).
    list(Standard.objects.select_for_update().filter(year=year).order_by("pk"))
    _check_open(year, standard, self_report_due, assessment_due, note, today)
    standard = lock(Standard, standard.pk)
    members = _population()
    if not members:
        raise DomainError(_("目前没有有效的市级称号，无需开展复核。"))
    review = AnnualReview.objects.create(
        year=year,
        standard=standard,
        self_report_due=self_report_due,
        assessment_due=assessment_due,
        note=note,
        opened_by=actor.clerk,
    )
    if standard.frozen_at is None:
        standard.frozen_at = timezone.now()
        standard.save(update_fields=["frozen_at"])
    exempt = _exempt()
    computed = metrics.computed_scores(
        standard,
        [m for m in members if m.id not in exempt],
        year,
        items=list(standard.items.all()),
        collectives=_city_titles().values_list("collective_id", flat=True),
    )
    for i in range(0, len(members), BATCH):
        _create_cases(review, members[i : i + BATCH], exempt, computed)
    log_action(
        actor,
        review,
        "oversight.review.opened",
        after=snapshot(review),
        data={"cases": len(members), "exempt": len(exempt), "standard": standard.code},
    )
    managed = [m.collective_id for m in members if m.id not in exempt]
    transaction.on_commit(lambda: notices.opened(review, managed))
    return review


def _create_cases(
    review: AnnualReview,
    batch: Sequence[_Member],
    exempt: dict[int, str],
    computed: metrics.Scores,
) -> None:
    _insert_cases(
        review,
        [
            (
                m,
                CaseStatus.EXEMPT if m.id in exempt else CaseStatus.AWAITING_SELF,
                exempt.get(m.id, ""),
                computed.get(m.id, {}),
            )
            for m in batch
        ],
    )


_VARYING = (
    "code",
    "title_id",
    "collective_id",
    "body_id",
    "body_name",
    "collective_key",
    "status",
    "exempt_reason",
)


def _insert_cases(
    review: AnnualReview, rows: list[tuple[_Member, str, str, dict[int, Any]]]
) -> None:
    """Insert new cases in one stream (COPY on PostgreSQL, one ``executemany`` elsewhere).
    ``bulk_create`` spent most of an opening at
    100,000 titles preparing every field of every row (and SQLite splits it into statements of
    999 parameters); here the columns every new case shares are prepared once, from a template
    case, and each row fills in only its own."""
    fields = [f for f in ReviewCase._meta.concrete_fields if not f.primary_key]
    template = ReviewCase(review=review, status=CaseStatus.AWAITING_SELF)
    shared = [f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields]
    position = {f.attname: n for n, f in enumerate(fields)}
    json_field = ReviewCase._meta.get_field("computed_scores")
    qn = connection.ops.quote_name
    table = qn(ReviewCase._meta.db_table)
    columns = ", ".join(qn(f.attname if f.column is None else f.column) for f in fields)
    params = []
    codes = iter(new_codes(len(rows)))
    # Many titles share their computed scores (the metrics memoise them): encode each once.
    encoded: dict[tuple[Any, ...], Any] = {}
    for member, status, reason, scores in rows:
        row = list(shared)
        own = (
            next(codes),
            member.id,
            member.collective_id,
            member.body_id,
            member.body_name,
            member.collective_key,
            status,
            reason,
        )
        for name, value in zip(_VARYING, own, strict=True):
            row[position[name]] = value
        key = tuple(sorted(scores.items()))
        if key not in encoded:
            encoded[key] = json_field.get_db_prep_save(metrics.as_json(scores), connection)
        row[position["computed_scores"]] = encoded[key]
        params.append(row)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One COPY stream: executemany still runs a statement per row (9 of 12 s at
            # 100,000 titles on PostgreSQL).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", params)


# Scores ------------------------------------------------------------------------------------------


def _points(raw: Any, item: StandardItem) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("“%(label)s”的得分须为数字。") % {"label": item.label}, field="scores"
        ) from None
    if not value.is_finite() or not 0 <= value <= item.points:
        raise DomainError(
            _("“%(label)s”的得分须在 0 到 %(n)s 之间。") % {"label": item.label, "n": item.points},
            field="scores",
        )
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(
            _("“%(label)s”的得分最多保留两位小数。") % {"label": item.label}, field="scores"
        )
    return value.quantize(Decimal("0.01"))


def _scores(
    case: ReviewCase,
    source: str,
    scores: Mapping[Any, Any],
    notes: Mapping[Any, str] | None,
) -> dict[str, dict[str, str]]:
    """The stored scores of ``source``'s items: every one scored, none of another source."""
    items = {i.id: i for i in case.review.standard.items.all()}
    given = {str(k): v for k, v in scores.items()}
    notes = {str(k): v for k, v in (notes or {}).items()}
    ours = {str(i.id): i for i in items.values() if i.source == source}
    stray = set(given) - set(ours)
    if stray:
        raise DomainError(_("只能为本方负责的考核项目评分。"), field="scores")
    out = {}
    for key, item in ours.items():
        if given.get(key) in (None, ""):
            raise DomainError(_("请为“%(label)s”评分。") % {"label": item.label}, field="scores")
        note = str(notes.get(key) or "").strip()
        check_text(note, field="scores")
        out[key] = {"points": str(_points(given[key], item)), "note": note[:500]}
    return out


def _total(case: ReviewCase) -> Decimal:
    return sum(
        (
            Decimal(e["points"])
            for stored in (case.self_scores, case.body_scores, case.computed_scores)
            for e in stored.values()
        ),
        Decimal(0),
    )


def _lock_open_case(case: ReviewCase) -> ReviewCase:
    c = lock(ReviewCase, case.pk)
    c = ReviewCase.objects.select_related("review__standard", "title", "collective").get(pk=c.pk)
    if c.status == CaseStatus.EXEMPT:
        raise DomainError(
            _("该称号免于市级复核（%(reason)s），不能通过市级复核对其评价或作出处理。")
            % {"reason": c.exempt_reason}
        )
    if c.review.status != ReviewStatus.OPEN:
        raise DomainError(_("该年度复核已结束。"))
    return c


# Acts on a case ----------------------------------------------------------------------------------


@transaction.atomic
def self_report(
    actor: Actor,
    case: ReviewCase,
    *,
    scores: Mapping[Any, Any],
    notes: Mapping[Any, str] | None = None,
    evidence: Iterable[Any] = (),
) -> ReviewCase:
    """The collective's self-assessment of the self-scored items; revisable until assessed."""
    require(actor, "oversight.self_report", case)
    c = _lock_open_case(case)
    CASE_TRANSITIONS.check_action(c, "self_report")
    before = snapshot(c)
    c.self_scores = _scores(c, Source.SELF, scores, notes)
    files = store_uploads(
        actor,
        list(evidence),
        collective=c.collective,
        purpose=REVIEW_PURPOSE,
        field="evidence",
        max_files=MAX_FILES,
    )
    if files:
        c.evidence.add(*files)
    CASE_TRANSITIONS.apply(c, "self_report")
    c.self_reported_by, c.self_reported_at = actor.clerk, timezone.now()
    c.total = _total(c)
    c.save()
    log_action(
        actor,
        c,
        "oversight.case.self_reported",
        before=before,
        after=snapshot(c),
        data={"files": len(files)},
    )
    transaction.on_commit(lambda: notices.self_reported(c))
    return c


def _refresh_computed(c: ReviewCase) -> None:
    standard = c.review.standard
    scores = metrics.computed_scores(standard, [c.title], c.review.year)
    c.computed_scores = metrics.as_json(scores.get(c.title_id, {}))


@transaction.atomic
def assess(
    actor: Actor,
    case: ReviewCase,
    *,
    scores: Mapping[Any, Any],
    notes: Mapping[Any, str] | None = None,
    proposed_outcome: str = "",
    note: str = "",
) -> ReviewCase:
    """The body's assessment: its items scored, the computed ones refreshed, the total summed
    and an outcome proposed — the marks' by default, another one with the body's note."""
    require(actor, "oversight.assess", case)
    c = _lock_open_case(case)
    CASE_TRANSITIONS.check_action(c, "assess")
    if c.status == CaseStatus.AWAITING_SELF and timezone.localdate() <= c.review.self_report_due:
        raise DomainError(
            _("集体自评截止（%(d)s）前，须待集体自评后再评价。")
            % {"d": c.review.self_report_due.isoformat()}
        )
    note = note.strip()
    check_text(note, field="note")
    if proposed_outcome and proposed_outcome not in Outcome.values:
        raise DomainError(_("请选择建议结论。"), field="proposed_outcome")
    before = snapshot(c)
    c.body_scores = _scores(c, Source.BODY, scores, notes)
    _refresh_computed(c)
    c.total = _total(c)
    marks = c.review.standard.outcome_for(float(c.total))
    proposed_outcome = proposed_outcome or marks
    if proposed_outcome != marks and not note:
        raise DomainError(
            _("建议结论与按分数线得出的“%(m)s”不同，请填写评价意见说明理由。")
            % {"m": Outcome(marks).label},
            field="note",
        )
    c.proposed_outcome, c.assessment_note = proposed_outcome, note
    CASE_TRANSITIONS.apply(c, "assess")
    c.assessed_by, c.assessed_at = actor.clerk, timezone.now()
    c.save()
    log_action(
        actor, c, "oversight.case.assessed", before=before, after=snapshot(c), data={"marks": marks}
    )
    transaction.on_commit(lambda: notices.assessed(c))
    return c


def _conclude(actor: Actor, c: ReviewCase, outcome: str, reason: str, *, forced: bool) -> None:
    before = snapshot(c)
    CASE_TRANSITIONS.apply(c, "force" if forced else "decide")
    c.outcome, c.decision_reason, c.forced = outcome, reason, forced
    c.decided_by, c.decided_at = actor.clerk, timezone.now()
    if c.total is None:
        c.total = _total(c)
    c.save()
    log_action(
        actor,
        c,
        "oversight.case.forced" if forced else "oversight.case.decided",
        before=before,
        after=snapshot(c),
    )
    kind = SANCTION_OF.get(Outcome(outcome))
    if kind is not None:
        sanctions.impose(
            actor,
            title=c.title,
            kind=kind,
            basis=Basis.REVIEW_CASE,
            reason=reason
            or _("%(year)s 年度复核总分 %(total)s 分。")
            % {"year": c.review.year, "total": c.total},
            category=RevocationCategory.FAILED_REVIEW if kind == SanctionKind.REVOCATION else "",
            case=c,
        )
    transaction.on_commit(lambda: notices.decided(c))


def _check_outcome(outcome: str) -> None:
    if outcome not in Outcome.values:
        raise DomainError(_("请选择复核结论。"), field="outcome")


@transaction.atomic
def decide(actor: Actor, case: ReviewCase, *, outcome: str, reason: str = "") -> ReviewCase:
    """The city's decision on an assessed case; a reason when it differs from the proposal."""
    require(actor, "oversight.manage")
    c = _lock_open_case(case)
    if c.status == CaseStatus.DECIDED:
        raise DomainError(_("该复核个案已经确认，不能重复确认。"))
    CASE_TRANSITIONS.check_action(c, "decide")
    _check_outcome(outcome)
    reason = reason.strip()
    check_text(reason, field="reason")
    if outcome != c.proposed_outcome and not reason:
        raise DomainError(
            _("确认结论与团委建议的“%(p)s”不同，请填写理由。")
            % {"p": Outcome(c.proposed_outcome).label if c.proposed_outcome else ""},
            field="reason",
        )
    _conclude(actor, c, outcome, reason, forced=False)
    return c


@transaction.atomic
def force(actor: Actor, case: ReviewCase, *, outcome: str, reason: str) -> ReviewCase:
    """The city decides a case the body has not assessed (so the campaign can close)."""
    require(actor, "oversight.manage")
    c = _lock_open_case(case)
    if c.status == CaseStatus.DECIDED:
        raise DomainError(_("该复核个案已经确认，不能重复确认。"))
    CASE_TRANSITIONS.check_action(c, "force")
    _check_outcome(outcome)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("市级直接确认须填写理由。"), field="reason")
    check_text(reason, field="reason")
    _conclude(actor, c, outcome, reason, forced=True)
    return c


@transaction.atomic
def close(actor: Actor, review: AnnualReview, *, note: str = "") -> AnnualReview:
    """End the campaign once every case is decided (or exempt)."""
    require(actor, "oversight.manage")
    r = lock(AnnualReview, review.pk)
    REVIEW_TRANSITIONS.check(r, ReviewStatus.CLOSED)
    note = note.strip()
    check_text(note, field="note")
    left = r.cases.filter(status__in=OPEN_CASES).count()
    if left:
        raise DomainError(
            _("还有 %(n)s 个复核个案未确认，不能结束复核。") % {"n": left}, code="cases_open"
        )
    before = snapshot(r)
    REVIEW_TRANSITIONS.move(r, ReviewStatus.CLOSED)
    r.closed_by, r.closed_at, r.close_note = actor.clerk, timezone.now(), note
    r.save()
    log_action(actor, r, "oversight.review.closed", before=before, after=snapshot(r))
    return r
