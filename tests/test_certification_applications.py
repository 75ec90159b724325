"""Certification round and applications: every transition and guard of the services, with
refusals, audit entries and notices."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from qnwmh.audit.models import AuditEntry
from qnwmh.certification.models import (
    ApplicationStatus,
    CertificationRound,
    ReviewArea,
    RoundStatus,
    ScoreSheet,
)
from qnwmh.certification.services import applications as services
from qnwmh.certification.services import round as round_services
from qnwmh.certification.testing import ensure_exam
from qnwmh.core.actor import system_actor
from qnwmh.core.errors import DomainError
from qnwmh.creation.models import LogEntry
from qnwmh.cycles import services as cycle_services
from qnwmh.cycles.models import Phase, RegistrationStatus
from qnwmh.evidence.models import EvidenceFile
from qnwmh.knowledge.models import Attempt
from qnwmh.notices.models import Notice
from qnwmh.programme.models import Dimension
from qnwmh.supervision.models import Rating
from tests import factories as f
from tests import factories_certification as fcert
from tests import factories_cycles as fc

pytestmark = pytest.mark.django_db


def open_round(world: Any) -> CertificationRound:
    """A round taking applications today, with its exam, and the world's collective filed."""
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    ensure_exam(system_actor(), r)
    fc.registration(r.cycle, world.collective, status=RegistrationStatus.FILED)
    return r


def texts() -> dict[str, dict[str, Any]]:
    return {d: {"text": f"{d} 自评"} for d in Dimension.values}


def draft(world: Any, r: CertificationRound) -> Any:
    app = services.application_create(world.actor("manager"), round=r, collective=world.collective)
    return services.application_save(
        world.actor("manager"), application=app, statement="事迹", assessments=texts()
    )


def submitted(world: Any, r: CertificationRound) -> Any:
    return services.application_submit(world.actor("manager"), application=draft(world, r))


def pass_test(r: CertificationRound, collective: Any, passed: bool = True) -> None:
    now = timezone.now()
    Attempt.objects.create(
        exam=r.exam,
        taker=f.user(),
        collective=collective,
        candidate_name="张敏",
        seed=1,
        deadline=now,
        status="submitted",
        submitted_at=now,
        score=80 if passed else 40,
        passed=passed,
    )


def evidence(collective: Any) -> EvidenceFile:
    n = EvidenceFile.objects.count() + 1
    return EvidenceFile.objects.create(
        collective=collective,
        purpose="creation.log",
        kind="image",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        stored_sha256="0" * 64,
        stored_size=10,
        storage_name=f"test/ev{n}.jpg",
        original_name=f"现场{n}.jpg",
    )


def entry(collective: Any, cycle: Any, kind: str = "rule_adopted") -> LogEntry:
    return LogEntry.objects.create(
        collective=collective,
        cycle=cycle,
        kind=kind,
        title="建立服务制度",
        occurred_on=timezone.localdate(),
    )


# The round --------------------------------------------------------------------------------------


def test_entering_certification_creates_the_round_once(world: Any) -> None:
    cycle = fc.cycle(phase=Phase.CREATION)
    city = world.actor("city_admin")
    cycle_services.cycle_move(city, cycle=cycle, to=Phase.CERTIFICATION)
    r = CertificationRound.objects.get(cycle=cycle)
    assert r.status == RoundStatus.DRAFT
    assert r.applications_open_on == cycle.certification_starts_on
    assert r.scoring_closes_on == cycle.certification_ends_on
    assert r.applications_close_on <= r.site_from <= r.site_to <= r.defence_from
    cycle_services.cycle_move(city, cycle=cycle, to=Phase.CREATION, reason="补充材料")
    cycle_services.cycle_move(city, cycle=cycle, to=Phase.CERTIFICATION)
    assert CertificationRound.objects.filter(cycle=cycle).count() == 1
    assert AuditEntry.objects.filter(code="certification.round.created").count() == 1


def test_cycle_cannot_close_while_its_round_is_open_unless_forced(world: Any) -> None:
    city = world.actor("city_admin")
    untouched = fcert.cert_round(status=RoundStatus.DRAFT)
    cycle_services.cycle_move(city, cycle=untouched.cycle, to=Phase.CLOSED)  # nothing to lose
    r = fcert.cert_round(status=RoundStatus.REVIEW)
    with pytest.raises(DomainError, match="评选认定尚未截止"):
        cycle_services.cycle_move(city, cycle=r.cycle, to=Phase.CLOSED)
    cycle_services.cycle_move(city, cycle=r.cycle, to=Phase.CLOSED, force=True, reason="提前结束")
    r.cycle.refresh_from_db()
    assert r.cycle.phase == Phase.CLOSED


def test_opening_applications_creates_the_exam_from_the_rules(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.DRAFT)
    r.cycle.rules_snapshot = {
        **r.cycle.rules_snapshot,
        "knowledge_pass_score": 75,
        "knowledge_minutes": 20,
        "knowledge_retakes": 2,
    }
    r.cycle.save()
    moved = round_services.round_move(
        world.actor("city_admin"), round=r, to=RoundStatus.APPLICATIONS
    )
    exam = moved.round.exam
    assert (exam.pass_score, exam.time_limit_minutes, exam.retakes) == (75, 20, 2)
    assert exam.purpose == "certification.round" and exam.owner_code == r.code
    assert timezone.localtime(exam.opens_at).date() == r.test_opens_on
    assert Notice.objects.filter(code="certification.round.moved").exists()


def test_round_moves_are_the_citys(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        round_services.round_move(world.actor("body_admin"), round=r, to=RoundStatus.APPLICATIONS)
    with pytest.raises(DomainError):
        round_services.round_move(world.actor("city_admin"), round=r, to=RoundStatus.CLOSED)


def test_closing_applications_with_unrecommended_needs_force_and_reason(world: Any) -> None:
    r = open_round(world)
    submitted(world, r)
    city = world.actor("city_admin")
    with pytest.raises(DomainError, match="1 份申报待组织推荐"):
        round_services.round_move(city, round=r, to=RoundStatus.REVIEW)
    with pytest.raises(DomainError, match="请填写原因"):
        round_services.round_move(city, round=r, to=RoundStatus.REVIEW, force=True)
    moved = round_services.round_move(
        city, round=r, to=RoundStatus.REVIEW, force=True, reason="按期截止"
    )
    assert moved.round.status == RoundStatus.REVIEW
    entry_ = AuditEntry.objects.filter(code="certification.round.status_changed").latest("id")
    assert entry_.data["force"] is True and entry_.data["reason"] == "按期截止"
    with pytest.raises(DomainError, match="请填写原因"):
        round_services.round_move(city, round=r, to=RoundStatus.APPLICATIONS)


def test_closing_scoring_counts_the_sheets_still_owed(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.REVIEW)
    app = fcert.application(r, world.collective, status=ApplicationStatus.RECOMMENDED)
    assignment = fcert.assignment(app, fcert.reviewer())
    ScoreSheet.objects.create(
        assignment=assignment,
        application=app,
        reviewer=assignment.reviewer,
        score_set="site",
        status="submitted",
    )
    assert round_services.unfinished_sheet_count(r) == 1  # the defence sheet
    with pytest.raises(DomainError, match="1 份评分表未提交"):
        round_services.round_move(world.actor("city_admin"), round=r, to=RoundStatus.CLOSED)


def test_windows_are_checked_per_field(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    city = world.actor("city_admin")
    with pytest.raises(DomainError) as exc:
        round_services.round_update(
            city,
            round=r,
            values={"applications_close_on": r.applications_open_on - datetime.timedelta(days=1)},
        )
    assert exc.value.field == "applications_close_on"
    later = r.site_to + datetime.timedelta(days=5)
    round_services.round_update(city, round=r, values={"scoring_closes_on": later})
    r.refresh_from_db()
    assert r.scoring_closes_on == later


# Creating and editing ---------------------------------------------------------------------------


def test_only_a_filed_collective_may_apply(world: Any) -> None:
    r = fcert.cert_round(status=RoundStatus.APPLICATIONS)
    manager = world.actor("manager")
    with pytest.raises(DomainError, match="报备已通过"):
        services.application_create(manager, round=r, collective=world.collective)
    fc.registration(r.cycle, world.collective, status=RegistrationStatus.SUBMITTED)
    with pytest.raises(DomainError, match="报备已通过"):
        services.application_create(manager, round=r, collective=world.collective)


def test_create_rechecks_eligibility_on_the_certification_date(world: Any) -> None:
    r = open_round(world)
    app = services.application_create(world.actor("manager"), round=r, collective=world.collective)
    assert app.status == ApplicationStatus.DRAFT
    assert app.eligibility_on == r.reference_date
    assert {c["code"] for c in app.eligibility_checks}
    assert app.assessments.count() == len(Dimension.values)
    with pytest.raises(DomainError, match="已有申报"):
        services.application_create(world.actor("manager"), round=r, collective=world.collective)


def test_an_ineligible_collective_is_refused_rule_by_rule(world: Any) -> None:
    r = open_round(world)
    small = f.collective(world.body, members=2)
    fc.registration(r.cycle, small, status=RegistrationStatus.FILED)
    with pytest.raises(DomainError, match="不符合认定条件") as exc:
        services.application_create(world.actor("body_admin"), round=r, collective=small)
    assert exc.value.code == "ineligible"


def test_no_application_outside_the_window(world: Any) -> None:
    r = open_round(world)
    r.applications_close_on = timezone.localdate() - datetime.timedelta(days=1)
    r.save()
    with pytest.raises(DomainError, match="申报时间为") as exc:
        services.application_create(world.actor("manager"), round=r, collective=world.collective)
    assert exc.value.code == "window"


def test_outsiders_may_not_apply_for_the_collective(world: Any) -> None:
    r = open_round(world)
    for role in ("outsider", "reviewer", "city_admin"):
        with pytest.raises(PermissionDenied):
            services.application_create(world.actor(role), round=r, collective=world.collective)


def test_self_assessment_links_only_the_collectives_own_records(world: Any) -> None:
    r = open_round(world)
    app = services.application_create(world.actor("manager"), round=r, collective=world.collective)
    own, own_file = entry(world.collective, r.cycle), evidence(world.collective)
    foreign = entry(world.other_collective, r.cycle)
    manager = world.actor("manager")
    services.application_save(
        manager,
        application=app,
        assessments={"systems": {"text": "制度", "entries": [own.code], "files": [own_file.code]}},
    )
    row = app.assessments.get(dimension="systems")
    assert (row.text, list(row.entries.all()), list(row.files.all())) == ("制度", [own], [own_file])
    for codes in ({"entries": [foreign.code]}, {"files": ["nope"]}):
        with pytest.raises(Http404):
            services.application_save(manager, application=app, assessments={"systems": codes})
    assert list(row.entries.all()) == [own]


# Submitting -------------------------------------------------------------------------------------


def test_submit_attaches_figures_and_area_and_locks(world: Any) -> None:
    r = open_round(world)
    area = fcert.area([world.town])
    Rating.objects.create(collective=world.collective, stars=4, day=timezone.localdate())
    app = submitted(world, r)
    assert app.status == ApplicationStatus.SUBMITTED and app.submitted_at
    assert app.area == area
    assert app.appraisal["ratings"] == 1 and app.appraisal["rating_avg"] == 4.0
    assert Notice.objects.filter(
        recipient=world.users["body_admin"], code="certification.application.submitted"
    ).exists()
    with pytest.raises(DomainError, match="不能再修改"):
        services.application_save(world.actor("manager"), application=app, statement="改")
    codes = list(
        AuditEntry.objects.filter(object_id=str(app.pk), code__startswith="certification.")
        .order_by("id")
        .values_list("code", flat=True)
    )
    assert codes == [
        "certification.application.created",
        "certification.application.saved",
        "certification.application.submitted",
    ]


def test_submit_needs_every_dimensions_text(world: Any) -> None:
    r = open_round(world)
    app = services.application_create(world.actor("manager"), round=r, collective=world.collective)
    services.application_save(
        world.actor("manager"),
        application=app,
        statement="事迹",
        assessments={"systems": {"text": "有"}},
    )
    with pytest.raises(DomainError, match="基础建设"):
        services.application_submit(world.actor("manager"), application=app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.DRAFT


# The body's decision ----------------------------------------------------------------------------


def test_recommend_needs_a_passed_test(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    body = world.actor("body_admin")
    with pytest.raises(DomainError, match="尚未通过知识测试"):
        services.application_recommend(body, application=app, text="推荐", rank=1)
    pass_test(r, world.collective, passed=False)
    with pytest.raises(DomainError, match="尚未通过知识测试"):
        services.application_recommend(body, application=app, text="推荐", rank=1)
    pass_test(r, world.collective)
    app = services.application_recommend(body, application=app, text="推荐", rank=1)
    assert (app.status, app.body_rank, app.recommended_by) == (
        ApplicationStatus.RECOMMENDED,
        1,
        world.users["body_admin"],
    )
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="certification.application.recommended"
    ).exists()


def test_recommend_is_the_bodys_own(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    pass_test(r, world.collective)
    for role in ("outsider", "manager", "city_admin"):
        with pytest.raises(PermissionDenied):
            services.application_recommend(world.actor(role), application=app, text="推荐", rank=1)


def test_ranks_are_unique_within_the_body(world: Any) -> None:
    r = open_round(world)
    pass_test(r, world.collective)
    services.application_recommend(
        world.actor("body_admin"), application=submitted(world, r), text="推荐", rank=1
    )
    second = f.collective(world.body, members=8)
    other = fcert.application(r, second, status=ApplicationStatus.SUBMITTED)
    pass_test(r, second)
    with pytest.raises(DomainError, match="排序 1 已给了") as exc:
        services.application_recommend(
            world.actor("body_admin"), application=other, text="推荐", rank=1
        )
    assert exc.value.field == "rank"
    services.application_recommend(
        world.actor("body_admin"), application=other, text="推荐", rank=2
    )


def test_return_needs_a_reason_and_lets_the_collective_resubmit(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    body = world.actor("body_admin")
    with pytest.raises(DomainError, match="请填写原因"):
        services.application_return(body, application=app, reason=" ")
    app = services.application_return(body, application=app, reason="补充台帐")
    assert app.status == ApplicationStatus.RETURNED and app.return_reason == "补充台帐"
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="certification.application.returned"
    ).exists()
    services.application_save(world.actor("manager"), application=app, statement="补充后")
    app = services.application_submit(world.actor("manager"), application=app)
    assert app.status == ApplicationStatus.SUBMITTED and app.return_reason == ""


def test_the_body_decides_only_while_applications_are_open(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    r.status = RoundStatus.REVIEW
    r.save()
    with pytest.raises(DomainError, match="申报已截止"):
        services.application_return(world.actor("body_admin"), application=app, reason="晚了")


def test_collective_and_body_may_withdraw(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    app = services.application_withdraw(world.actor("manager"), application=app, reason="不再申报")
    assert app.status == ApplicationStatus.WITHDRAWN
    assert Notice.objects.filter(
        recipient=world.users["body_admin"], code="certification.application.withdrawn"
    ).exists()
    with pytest.raises(DomainError):
        services.application_withdraw(world.actor("manager"), application=app, reason="再撤")
    # A withdrawn application frees the collective to apply again.
    again = draft(world, r)
    services.application_withdraw(world.actor("body_admin"), application=again, reason="组织撤回")
    assert (
        AuditEntry.objects.filter(code="certification.application.withdrawn")
        .latest("id")
        .data["by_body"]
    )
    with pytest.raises(PermissionDenied):
        services.application_withdraw(world.actor("outsider"), application=again, reason="x")


def test_area_comes_from_the_town(world: Any) -> None:
    r = open_round(world)
    fcert.area([world.other_town])
    app = submitted(world, r)
    assert app.area is None
    assert ReviewArea.objects.count() == 1


def test_areas_set_up_later_are_filled_from_the_town(world: Any) -> None:
    r = open_round(world)
    app = submitted(world, r)
    assert app.area is None and round_services.unplaced_count(r) == 1
    area = fcert.area([world.town])
    assert round_services.round_assign_areas(world.actor("city_admin"), round=r) == 1
    app.refresh_from_db()
    assert app.area == area and round_services.unplaced_count(r) == 0
    with pytest.raises(PermissionDenied):
        round_services.round_assign_areas(world.actor("body_admin"), round=r)
