"""Rectification orders: ordered with the programme's default deadline, reported (late after the
deadline, revisable until verified), verified — a fail or a missed deadline proposes revocation
for the city to confirm; the daily command is idempotent. And a title's history: in date order,
covert visits and unsettled proposals hidden from the collective's managers."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.collectives.models import TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.notices.models import Notice
from qnwmh.oversight.models import (
    Basis,
    ExitKind,
    RectificationStatus,
    RevocationCategory,
    Sanction,
    SanctionKind,
    SanctionStatus,
    Visit,
    VisitReason,
    VisitStatus,
)
from qnwmh.oversight.selectors.sanctions import history
from qnwmh.oversight.services import rectification as rect
from qnwmh.oversight.services import sanctions
from qnwmh.programme.models import ProgrammeRules
from tests import factories as f
from tests import factories_oversight as fo
from tests.factories_awards import city_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def city():
    return f.actor(city_user())


@pytest.fixture
def title():
    return fo.city_title(stars=2)


def _body_admin(t):
    return f.actor(f.user(role="body_admin", organisation=t.collective.body))


def _manager(t):
    return f.user(role="collective_manager", collective=t.collective)


def test_add_months_clamps_to_the_months_last_day():
    assert rect.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert rect.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_order_defaults_to_the_programmes_period_and_tells_managers_and_body(
    city, title, django_capture_on_commit_callbacks
):
    rules = ProgrammeRules.current()
    rules.rectification_months = 2
    rules.save()
    manager, body = _manager(title), _body_admin(title)
    with django_capture_on_commit_callbacks(execute=True):
        r = rect.order(city, title=title, basis=Basis.SPOT_CHECK, requirements="补齐台账")
    assert r.due_on == rect.add_months(timezone.localdate(), 2)
    assert r.status == RectificationStatus.ORDERED and r.ordered_by == city.user
    told = set(
        Notice.objects.filter(code="oversight.rectification.ordered").values_list(
            "recipient", flat=True
        )
    )
    assert {manager.pk, body.user.pk} <= told
    assert AuditEntry.objects.filter(code="oversight.rectification.ordered").exists()


def test_order_refusals(city, title):
    with pytest.raises(DomainError, match="请填写"):
        rect.order(city, title=title, basis=Basis.SPOT_CHECK, requirements="  ")
    with pytest.raises(DomainError, match="晚于今天"):
        rect.order(
            city, title=title, basis=Basis.OTHER, requirements="x", due_on=timezone.localdate()
        )
    rect.order(city, title=title, basis=Basis.OTHER, requirements="整改")
    with pytest.raises(DomainError, match="未办结的整改"):
        rect.order(city, title=title, basis=Basis.OTHER, requirements="再次")
    other = fo.city_title()
    with pytest.raises(DomainError, match="不符"):
        rect.order(
            city,
            title=other,
            basis=Basis.SPOT_CHECK,
            requirements="x",
            sanction=fo.sanction(title),
        )


def test_order_is_for_the_city_and_the_bodies_over_the_collective(title):
    rect.order(_body_admin(title), title=title, basis=Basis.OTHER, requirements="整改")
    outsider = f.actor(f.user(role="body_admin", organisation=f.body()))
    with pytest.raises(PermissionDenied):
        rect.order(
            outsider, title=fo.city_title(title.collective.body), basis="other", requirements="x"
        )
    manager = f.actor(_manager(title))
    with pytest.raises(PermissionDenied):
        rect.order(manager, title=title, basis=Basis.OTHER, requirements="x")


def test_report_on_time_then_revised_then_late_is_marked(title, django_capture_on_commit_callbacks):
    r = fo.rectification(title)
    manager = f.actor(_manager(title))
    body = _body_admin(title)
    with django_capture_on_commit_callbacks(execute=True):
        rect.report(manager, r, text="已整改")
    r.refresh_from_db()
    assert r.status == RectificationStatus.REPORTED and not r.late
    assert Notice.objects.filter(
        code="oversight.rectification.reported", recipient=body.user
    ).exists()
    rect.report(manager, r, text="已整改，补充材料")
    r.refresh_from_db()
    assert r.report == "已整改，补充材料"
    late = fo.rectification(fo.city_title(), due_on=timezone.localdate() - DAY)
    rect.report(f.actor(_manager(late.title)), late, text="迟交")
    late.refresh_from_db()
    assert late.late and late.status == RectificationStatus.REPORTED


def test_only_the_collectives_managers_report(title, city):
    r = fo.rectification(title)
    with pytest.raises(PermissionDenied):
        rect.report(city, r, text="代报")
    with pytest.raises(PermissionDenied):
        rect.report(f.actor(_manager(fo.city_title())), r, text="别人的")


def test_report_with_a_photo_keeps_it_on_the_order(title, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.evidence_files import png

    r = fo.rectification(title)
    photo = SimpleUploadedFile("p.png", png(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        rect.report(f.actor(_manager(title)), r, text="照片", files=[photo])
    assert r.evidence.count() == 1
    assert r.evidence.get().purpose == rect.REPORT_PURPOSE


def test_verify_pass_and_fail_proposes_revocation(title, django_capture_on_commit_callbacks):
    body = _body_admin(title)
    manager_user = _manager(title)
    manager = f.actor(manager_user)
    ok = fo.rectification(title)
    rect.report(manager, ok, text="已整改")
    with django_capture_on_commit_callbacks(execute=True):
        rect.verify(body, ok, passed=True)
    ok.refresh_from_db()
    assert ok.status == RectificationStatus.PASSED
    assert Notice.objects.filter(
        code="oversight.rectification.verified", recipient=manager_user
    ).exists()
    with pytest.raises(DomainError):
        rect.verify(body, ok, passed=False, note="再核")  # verified once only

    bad = fo.rectification(title)
    rect.report(manager, bad, text="敷衍")
    with pytest.raises(DomainError, match="请填写"):
        rect.verify(body, bad, passed=False)
    rect.verify(body, bad, passed=False, note="问题依旧")
    bad.refresh_from_db()
    assert bad.status == RectificationStatus.FAILED
    s = Sanction.objects.get(rectification=bad)
    assert (s.kind, s.status, s.category, s.basis) == (
        SanctionKind.REVOCATION,
        SanctionStatus.PROPOSED,
        RevocationCategory.FAILED_RECTIFICATION,
        Basis.RECTIFICATION,
    )
    # The city confirms: the title is revoked and exits.
    sanctions.confirm(f.actor(city_user()), s, note="同意")
    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED and title.exit.kind == ExitKind.REVOKED


def test_verify_is_refused_before_a_report(title):
    r = fo.rectification(title)
    with pytest.raises(DomainError, match="整改中"):
        rect.verify(_body_admin(title), r, passed=True)


def test_deadlines_command_misses_once_and_reminds_once(title, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    manager = _manager(title)
    city_admin = city_user()
    overdue = fo.rectification(title, due_on=today - DAY)
    soon_title = fo.city_title()
    soon_manager = _manager(soon_title)
    soon = fo.rectification(soon_title, due_on=today + 7 * DAY)
    later = fo.rectification(fo.city_title(), due_on=today + 3 * DAY)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("oversight_rectification_deadlines", stdout=io.StringIO())
    overdue.refresh_from_db()
    assert overdue.status == RectificationStatus.MISSED
    proposal = Sanction.objects.get(rectification=overdue)
    assert proposal.status == SanctionStatus.PROPOSED and proposal.proposed_by is None
    assert (
        Notice.objects.filter(code="oversight.rectification.missed", recipient=city_admin).count()
        == 1
    )
    assert (
        Notice.objects.filter(code="oversight.rectification.due", recipient=soon_manager).count()
        == 1
    )
    assert not Notice.objects.filter(code="oversight.rectification.due", recipient=manager).exists()
    later.refresh_from_db()
    soon.refresh_from_db()
    assert later.status == soon.status == RectificationStatus.ORDERED
    # The one-day reminder is another one.
    call_command(
        "oversight_rectification_deadlines",
        "--date",
        (today + 6 * DAY).isoformat(),
        stdout=io.StringIO(),
    )
    assert (
        Notice.objects.filter(code="oversight.rectification.due", recipient=soon_manager).count()
        == 2
    )
    # A missed order still takes a report, marked late (the proposal waits for the city).
    assert rect.report(f.actor(manager), overdue, text="太迟").late


def test_history_in_date_order_and_what_managers_do_not_see(city, title):
    now = timezone.now()
    old = fo.sanction(title, SanctionKind.WARNING)
    Sanction.objects.filter(pk=old.pk).update(decided_at=now - datetime.timedelta(days=30))
    fo.sanction(title, SanctionKind.STAR_DOWN, status=SanctionStatus.PROPOSED)
    fo.rectification(title)
    covert = Visit.objects.create(
        title=title,
        collective=title.collective,
        reason=VisitReason.RANDOM,
        covert=True,
        planned_on=timezone.localdate(),
    )
    staff = [e.kind for e in history(city, title)]
    assert staff[0] == "处理" and "暗访" in [str(k) for k in staff] and len(staff) == 4
    manager = f.actor(_manager(title))
    seen = [str(e.kind) for e in history(manager, title)]
    assert "暗访" not in seen and seen.count("处理") == 1
    Visit.objects.filter(pk=covert.pk).update(status=VisitStatus.CLOSED)
    assert "暗访" in [str(e.kind) for e in history(manager, title)]
    times = [e.at for e in history(city, title)]
    assert times == sorted(times)


def test_a_missed_order_on_a_title_with_a_pending_proposal_keeps_that_one(title):
    pending = fo.sanction(title, status=SanctionStatus.PROPOSED)
    r = fo.rectification(title, due_on=timezone.localdate() - DAY)
    assert rect.miss(r) is True
    r.refresh_from_db()
    assert r.status == RectificationStatus.MISSED
    assert list(Sanction.objects.filter(status=SanctionStatus.PROPOSED)) == [pending]
    assert rect.miss(r) is False  # once only


def test_a_report_after_the_miss_is_taken_late_and_a_failed_check_keeps_the_proposal(city, title):
    """The issue's bad input: a report after its deadline is accepted and marked late — also
    once the nightly run has marked the order missed and proposed revocation."""
    r = fo.rectification(title, due_on=timezone.localdate() - DAY)
    assert rect.miss(r) is True
    proposal = Sanction.objects.get(status=SanctionStatus.PROPOSED)
    r.refresh_from_db()
    r = rect.report(f.actor(_manager(title)), r, text="已补齐台帐，附照片。")
    assert r.status == RectificationStatus.REPORTED and r.late
    r = rect.verify(_body_admin(title), r, passed=False, note="仍未公示服务承诺")
    assert r.status == RectificationStatus.FAILED
    assert list(Sanction.objects.filter(status=SanctionStatus.PROPOSED)) == [proposal]
