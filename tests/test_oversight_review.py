"""The annual re-review's services and the computed items' formulas: opening a campaign over
every active city title (exempt ones marked), the self-report, the body's assessment, the
city's decision with its sanction, forcing, closing, and the refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import Level, TitleStatus
from qnwmh.core.codes import is_code_shaped
from qnwmh.core.errors import DomainError
from qnwmh.creation.models import CreationTally, LogEntry
from qnwmh.notices.models import Notice
from qnwmh.oversight import metrics
from qnwmh.oversight.models import (
    AnnualReview,
    CaseStatus,
    Exit,
    ExitKind,
    Outcome,
    ReviewStatus,
    Sanction,
    SanctionKind,
    Source,
)
from qnwmh.oversight.services import review as services
from qnwmh.supervision.models import Rating
from tests import factories as f
from tests import factories_cycles as fc
from tests import factories_oversight as fo
from tests import supervision_builders as sb
from tests.factories_awards import city_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def city():
    return f.actor(city_user())


def _open(city, year=YEAR, standard=None):
    return services.open(
        city,
        year=year,
        standard=standard or fo.standard(year),
        self_report_due=TODAY + datetime.timedelta(days=7),
        assessment_due=TODAY + datetime.timedelta(days=14),
        note="",
    )


def _items(case, source):
    return [i for i in case.review.standard.items.all() if i.source == source]


def _full(case, source, less=0):
    return {i.id: i.points - less for i in _items(case, source)}


def _people(t):
    manager = f.actor(f.user(role="collective_manager", collective=t.collective))
    body = f.actor(f.user(role="body_admin", organisation=t.collective.body))
    return manager, body


# Formulas ----------------------------------------------------------------------------------------


def test_counted_months_are_the_ended_months_since_the_award():
    today = datetime.date(2026, 5, 14)
    assert len(metrics.counted_months(2026, datetime.date(2020, 1, 1), today)) == 4
    assert metrics.counted_months(2026, datetime.date(2026, 3, 20), today) == [
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 1),
    ]
    assert len(metrics.counted_months(2025, datetime.date(2020, 1, 1), today)) == 12


def test_month_share_and_points():
    months = [datetime.date(2026, m, 1) for m in (1, 2, 3, 4)]
    share, met = metrics.month_share({"2026-01": 2, "2026-03": 1}, months, 1)
    assert (share, met) == (metrics.Fraction(1, 2), 2)
    assert metrics.month_share({"2026-01": 1}, months, 2)[1] == 0
    assert metrics.month_share({}, [], 1) == (1, 0)  # nothing due: full
    assert metrics.points(share, 15) == Decimal("7.50")
    assert metrics.points(metrics.Fraction(2, 3), 20) == Decimal("13.33")


def test_upheld_complaints_deduct_a_third_each_never_below_zero():
    assert metrics.upheld_points(15, 0) == Decimal("15.00")
    assert metrics.upheld_points(15, 1) == Decimal("10.00")
    assert metrics.upheld_points(15, 3) == Decimal("0.00")
    assert metrics.upheld_points(15, 7) == Decimal("0.00")


def test_ratings_map_the_average_to_a_share_of_five_stars_and_none_is_full():
    assert metrics.rating_points(10, None) == Decimal("10.00")
    assert metrics.rating_points(10, 4.5) == Decimal("9.00")
    assert metrics.rating_points(10, 1.0) == Decimal("2.00")


def test_computed_scores_read_the_log_tallies_complaints_and_ratings():
    t = fo.city_title()
    c = t.collective
    cycle = fc.cycle()
    for month in (1, 2, 3):
        LogEntry.objects.create(
            collective=c,
            cycle=cycle,
            kind="meeting",
            title="例会",
            occurred_on=datetime.date(2026, month, 5),
            evidence_count=1,
        )
    LogEntry.objects.create(  # without evidence: does not count
        collective=c,
        cycle=cycle,
        kind="meeting",
        title="例会",
        occurred_on=datetime.date(2026, 4, 5),
    )
    CreationTally.objects.create(
        collective=c, cycle=cycle, open_weeks={"2026-01": 1, "2026-02": 1, "2025-12": 3}
    )
    sb.complaint(c, upheld=True, received_at=timezone.make_aware(datetime.datetime(2026, 3, 1)))
    Rating.objects.create(collective=c, stars=4, day=datetime.date(2026, 6, 1), device="a")
    Rating.objects.create(collective=c, stars=5, day=datetime.date(2026, 6, 2), device="b")
    s = fo.standard(2026)
    got = metrics.computed_scores(s, [t], 2026, today=datetime.date(2026, 5, 20))[t.id]
    by_metric = {i.metric: got[i.id] for i in s.items.filter(source=Source.COMPUTED)}
    assert by_metric["creation_compliance"] == (Decimal("15.00"), "3/4 个月已填写")
    assert by_metric["open_weeks"][0] == Decimal("7.50")
    assert by_metric["upheld_complaints"] == (Decimal("10.00"), "属实投诉 1 件")
    assert by_metric["ratings"][0] == Decimal("9.00")


def test_computed_scores_cost_the_same_queries_for_more_titles(django_assert_max_num_queries):
    s = fo.standard(2026)
    items = list(s.items.all())
    few = [fo.city_title() for _ in range(2)]
    many = few + [fo.city_title() for _ in range(8)]
    metrics.computed_scores(s, few, 2026, items=items)  # the rules row exists from now on
    with django_assert_max_num_queries(5):
        metrics.computed_scores(s, few, 2026, items=items)
    with django_assert_max_num_queries(5):
        metrics.computed_scores(s, many, 2026, items=items)


# Opening -----------------------------------------------------------------------------------------


def test_open_creates_a_case_per_active_city_title_and_freezes_the_standard(
    city, django_capture_on_commit_callbacks
):
    plain, provincial_too = fo.city_title(), fo.city_title()
    f.title(provincial_too.collective, Level.PROVINCIAL, year=2025)
    ended = fo.city_title()
    Exit  # noqa: B018 - the ended title stays out of the population
    ended.status = TitleStatus.EXPIRED
    ended.save()
    manager, _ = _people(plain)
    with django_capture_on_commit_callbacks(execute=True):
        r = _open(city)
    assert r.standard.frozen_at is not None
    cases = {c.title_id: c for c in r.cases.all()}
    assert set(cases) == {plain.id, provincial_too.id}
    assert cases[plain.id].status == CaseStatus.AWAITING_SELF
    assert len(cases[plain.id].computed_scores) == 4
    detail = {e["detail"] for e in cases[plain.id].computed_scores.values()}
    assert "本年度无评分，按满分计" in detail
    codes = [c.code for c in cases.values()]
    assert len(set(codes)) == 2 and all(len(c) == 10 and is_code_shaped(c) for c in codes)
    assert cases[provincial_too.id].status == CaseStatus.EXEMPT
    assert "省级" in cases[provincial_too.id].exempt_reason
    assert Notice.objects.filter(code="oversight.review.opened", recipient=manager.user).exists()
    assert AuditEntry.objects.filter(code="oversight.review.opened").count() == 1


def test_open_refuses_a_second_campaign_another_years_standard_and_no_titles(city):
    s = fo.standard(YEAR)
    with pytest.raises(DomainError, match="没有有效的市级称号"):
        _open(city, standard=s)
    assert not AnnualReview.objects.exists()
    s.refresh_from_db()
    assert s.frozen_at is None
    fo.city_title()
    with pytest.raises(DomainError, match="不能用于"):
        _open(city, standard=fo.standard(YEAR - 1))
    _open(city, standard=s)
    with pytest.raises(DomainError, match="每年只进行一次"):
        _open(city, standard=fo.standard(YEAR, version=2))


def test_only_the_city_opens(city):
    t = fo.city_title()
    _, body = _people(t)
    with pytest.raises(PermissionDenied):
        _open(body)


# The case ----------------------------------------------------------------------------------------


def test_self_report_assess_decide_pass(city, django_capture_on_commit_callbacks):
    t = fo.city_title()
    manager, body = _people(t)
    # A new title has logged nothing: 65 of 100 points, a pass under these marks.
    r = _open(city, standard=fo.standard(YEAR, pass_mark=60, warning_mark=50, star_down_mark=40))
    case = r.cases.get()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.self_report(manager, case, scores=_full(case, Source.SELF), notes={})
    assert case.status == CaseStatus.SELF_REPORTED
    assert Notice.objects.filter(code="oversight.review.self_reported", recipient=body.user)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.assess(body, case, scores=_full(case, Source.BODY))
    assert case.status == CaseStatus.ASSESSED
    assert case.total == sum(
        Decimal(e["points"])
        for s in (case.self_scores, case.body_scores, case.computed_scores)
        for e in s.values()
    )
    assert case.total == Decimal("65.00") and case.proposed_outcome == Outcome.PASS
    assert Notice.objects.filter(code="oversight.review.assessed", recipient=city.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(city, case, outcome=case.proposed_outcome)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decided_by == city.user
    assert Notice.objects.filter(code="oversight.review.decided", recipient=manager.user).exists()
    with pytest.raises(DomainError, match="不能重复确认"):
        services.decide(city, case, outcome=Outcome.PASS)


def test_self_report_refuses_others_stray_items_and_bad_points(city):
    t, other = fo.city_title(), fo.city_title()
    manager, body = _people(t)
    other_manager, _ = _people(other)
    case = _open(city).cases.get(title=t)
    with pytest.raises(PermissionDenied):
        services.self_report(other_manager, case, scores=_full(case, Source.SELF))
    with pytest.raises(PermissionDenied):
        services.self_report(body, case, scores=_full(case, Source.SELF))
    with pytest.raises(DomainError, match="本方负责"):
        services.self_report(manager, case, scores=_full(case, Source.BODY))
    item = _items(case, Source.SELF)[0]
    with pytest.raises(DomainError, match="0 到"):
        services.self_report(manager, case, scores={item.id: item.points + 1})
    with pytest.raises(DomainError, match="请为"):
        services.self_report(manager, case, scores={})
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_SELF and case.self_scores == {}


def test_the_body_assesses_without_a_self_report_only_after_the_deadline(city):
    t = fo.city_title()
    _, body = _people(t)
    case = _open(city).cases.get()
    with pytest.raises(DomainError, match="须待集体自评"):
        services.assess(body, case, scores=_full(case, Source.BODY))
    AnnualReview.objects.update(self_report_due=TODAY - datetime.timedelta(days=1))
    case.refresh_from_db()
    case = services.assess(body, case, scores=_full(case, Source.BODY))
    assert case.status == CaseStatus.ASSESSED


def test_the_body_may_propose_another_outcome_with_a_note(city):
    t = fo.city_title()
    manager, body = _people(t)
    case = _open(city).cases.get()
    services.self_report(manager, case, scores=_full(case, Source.SELF))
    with pytest.raises(DomainError, match="填写评价意见"):
        services.assess(
            body, case, scores=_full(case, Source.BODY), proposed_outcome=Outcome.REVOKE
        )
    case = services.assess(
        body,
        case,
        scores=_full(case, Source.BODY),
        proposed_outcome=Outcome.WARNING,
        note="窗口投诉处理不及时",
    )
    assert case.proposed_outcome == Outcome.WARNING


def test_deciding_otherwise_needs_a_reason_and_imposes_the_sanction(city):
    t = fo.city_title(stars=2)
    manager, body = _people(t)
    case = _open(city).cases.get()
    services.self_report(manager, case, scores=_full(case, Source.SELF))
    services.assess(body, case, scores=_full(case, Source.BODY))
    with pytest.raises(DomainError, match="请填写理由"):
        services.decide(city, case, outcome=Outcome.WARNING)
    services.decide(city, case, outcome=Outcome.WARNING, reason="自评材料与实际不符")
    s = Sanction.objects.get(title=t)
    assert s.kind == SanctionKind.WARNING and s.case_id == case.id and s.basis == "review_case"


def test_a_ladder_refusal_undoes_the_decision(city):
    t = fo.city_title(stars=2)
    manager, body = _people(t)
    case = _open(city).cases.get()
    services.self_report(manager, case, scores=_full(case, Source.SELF))
    services.assess(body, case, scores=_full(case, Source.BODY))
    with pytest.raises(DomainError, match="下一步应为"):
        services.decide(city, case, outcome=Outcome.STAR_DOWN, reason="降星")
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSED and not Sanction.objects.exists()


def test_revoke_ends_the_title_as_failed_review(city):
    t = fo.city_title()
    manager, body = _people(t)
    case = _open(city).cases.get()
    services.self_report(manager, case, scores=_full(case, Source.SELF))
    services.assess(body, case, scores={i.id: 0 for i in _items(case, Source.BODY)})
    services.decide(city, case, outcome=Outcome.REVOKE, reason="多项严重不合格")
    t.refresh_from_db()
    assert t.status == TitleStatus.REVOKED
    assert Exit.objects.get(title=t).kind == ExitKind.FAILED_REVIEW


def test_exempt_cases_are_never_assessed_decided_or_forced(city):
    t = fo.city_title()
    f.title(t.collective, Level.NATIONAL, year=2025)
    _, body = _people(t)
    case = _open(city).cases.get()
    assert case.status == CaseStatus.EXEMPT
    for act in (
        lambda: services.assess(body, case, scores={}),
        lambda: services.decide(city, case, outcome=Outcome.WARNING, reason="x"),
        lambda: services.force(city, case, outcome=Outcome.WARNING, reason="x"),
    ):
        with pytest.raises(DomainError, match="免于市级复核"):
            act()
    assert not Sanction.objects.exists()


def test_force_needs_a_reason_and_marks_the_case(city):
    fo.city_title()
    r = _open(city)
    case = r.cases.get()
    with pytest.raises(DomainError, match="须填写理由"):
        services.force(city, case, outcome=Outcome.PASS, reason=" ")
    case = services.force(city, case, outcome=Outcome.PASS, reason="集体逾期未自评，经实地核查合格")
    assert case.forced and case.status == CaseStatus.DECIDED
    assert AuditEntry.objects.filter(code="oversight.case.forced").exists()


def test_close_only_when_no_case_is_open(city):
    a, b = fo.city_title(), fo.city_title()
    f.title(b.collective, Level.PROVINCIAL, year=2025)
    r = _open(city)
    with pytest.raises(DomainError, match="1 个复核个案未确认"):
        services.close(city, r, note="")
    services.force(city, r.cases.get(title=a), outcome=Outcome.PASS, reason="核查合格")
    services.close(city, r, note="全部确认")
    r.refresh_from_db()
    assert r.status == ReviewStatus.CLOSED and r.close_note == "全部确认"
    with pytest.raises(DomainError):
        services.close(city, r)
    with pytest.raises(DomainError, match="已结束"):
        services.self_report(
            f.actor(f.user(role="collective_manager", collective=a.collective)),
            r.cases.get(title=a),
            scores={},
        )


# Reminders ---------------------------------------------------------------------------------------


def test_reminders_reach_each_party_once_a_day():
    from django.core.management import call_command

    from qnwmh.oversight.services.review_reminders import remind

    soon, assessed, later = fo.city_title(), fo.city_title(), fo.city_title()
    manager, body = _people(soon)
    later_manager, _ = _people(later)
    city = city_user()
    r = fo.review([soon, assessed, later])
    r.cases.filter(title=assessed).update(status=CaseStatus.ASSESSED)
    r.self_report_due = TODAY + datetime.timedelta(days=2)
    r.save()
    sent = remind()
    assert sent.managers >= 2  # soon's and later's managers: the campaign's due date is near
    assert Notice.objects.filter(code="oversight.review.self_report_due", recipient=manager.user)
    assert Notice.objects.filter(code="oversight.review.to_decide", recipient=city).exists()
    assert not Notice.objects.filter(code="oversight.review.to_assess").exists()
    before = Notice.objects.count()
    call_command("oversight_review_reminders")
    assert Notice.objects.count() == before  # the same day: nothing again
    # Past the deadline the body is asked to assess without the self-report.
    r.self_report_due = TODAY - datetime.timedelta(days=1)
    r.save()
    Notice.objects.all().delete()
    remind()
    assert Notice.objects.filter(code="oversight.review.to_assess", recipient=body.user).exists()
    assert Notice.objects.filter(
        code="oversight.review.self_report_due", recipient=later_manager.user
    )


def test_no_reminder_far_from_the_deadline_or_for_a_closed_campaign():
    from qnwmh.oversight.services.review_reminders import remind

    t = fo.city_title()
    _people(t)
    r = fo.review([t])
    r.self_report_due = TODAY + datetime.timedelta(days=10)
    r.save()
    assert remind().managers == 0
    r.self_report_due = TODAY
    r.status = ReviewStatus.CLOSED
    r.save()
    assert remind().managers == 0
