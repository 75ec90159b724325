"""Leader training: who is invited, check-in by QR (and its refusals), the test after the
session, the certificate, coverage per body, reminders and the re-review item."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qnwmh.core.errors import DomainError
from qnwmh.knowledge import services as knowledge
from qnwmh.knowledge.models import Attempt
from qnwmh.notices.models import Notice
from qnwmh.training import selectors as sel
from qnwmh.training import services
from qnwmh.training.models import Invitation, Session, SessionStatus
from tests import factories as f
from tests import factories_training as ft
from tests import knowledge_builders as kb
from tests.querycount import assert_constant_queries

HOUR = datetime.timedelta(hours=1)


def _pass_test(w, session):
    manager = w.actor("manager")
    attempt = knowledge.attempt_start(
        manager, exam=session.exam, collective=w.collective, member=w.member
    )
    answers = {str(item["q"]): kb.key(item["q"]) for item in attempt.paper}
    return knowledge.attempt_submit(manager, attempt=attempt, answers=answers)


def test_a_city_session_invites_every_required_leader_and_tells_their_managers(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        s = ft.session(world)
    invited = {i.collective_id: i for i in s.invitations.all()}
    assert set(invited) == {world.collective.pk, world.other_collective.pk}
    assert invited[world.collective.pk].member == world.member
    assert invited[world.collective.pk].leader_name == world.member.name
    assert s.exam is not None and s.exam.purpose == "training.session"
    notice = Notice.objects.get(recipient=world.users["manager"])
    assert notice.code == "training.session.invited"
    assert notice.params["leader"] == world.member.name


def test_a_body_session_invites_its_own_subtree_only(world):
    s = ft.session(world, role="body_admin", organiser=world.body)
    assert list(s.invitations.values_list("collective_id", flat=True)) == [world.collective.pk]


def test_a_body_admin_cannot_organise_for_the_city_and_times_are_checked(world):
    ft.creating_world(world)
    with pytest.raises(Exception) as refused:
        ft.session(world, role="body_admin", organiser=world.city)
    assert refused.type.__name__ == "PermissionDenied"
    with pytest.raises(DomainError, match="结束时间须晚于开始时间"):
        ft.session(world, hours=0)


def test_check_in_inside_the_window_once(world):
    s = ft.session(world)
    manager = world.actor("manager")
    invitation = services.check_in(manager, session=s)
    assert invitation.collective == world.collective and invitation.checked_in_at is not None
    with pytest.raises(DomainError, match="无需重复签到"):
        services.check_in(manager, session=s)
    assert Invitation.objects.filter(session=s, checked_in_at__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("starts_in", "message"),
    [(2 * HOUR, "签到尚未开始"), (-3 * HOUR, "签到已关闭")],
)
def test_check_in_outside_the_window_changes_nothing(world, starts_in, message):
    s = ft.session(world, starts_in=starts_in)
    with pytest.raises(DomainError, match=message):
        services.check_in(world.actor("manager"), session=s)
    assert not s.invitations.filter(checked_in_at__isnull=False).exists()


def test_check_in_opens_thirty_minutes_before_the_start(world):
    s = ft.session(world, starts_in=datetime.timedelta(minutes=29))
    assert services.check_in(world.actor("manager"), session=s).checked_in_at


def test_a_manager_not_invited_is_told_so(world):
    s = ft.session(world, role="body_admin", organiser=world.body)
    other = f.user("othermanager", f.Role.COLLECTIVE_MANAGER, collective=world.other_collective)
    with pytest.raises(DomainError, match="不在本次轮训的参训名单中"):
        services.check_in(f.actor(other), session=s)
    assert not s.invitations.filter(checked_in_at__isnull=False).exists()


def test_a_cancelled_session_refuses_check_in_and_tells_the_managers(
    world, django_capture_on_commit_callbacks
):
    s = ft.session(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(world.actor("city_admin"), session=s)
    s.refresh_from_db()
    assert s.status == SessionStatus.CANCELLED
    assert Notice.objects.filter(
        recipient=world.users["manager"], code="training.session.cancelled"
    ).exists()
    with pytest.raises(DomainError, match="已取消"):
        services.check_in(world.actor("manager"), session=s)
    with pytest.raises(DomainError):
        services.cancel(world.actor("city_admin"), session=s)
    with pytest.raises(DomainError, match="不能再通知"):
        services.invite_more(world.actor("city_admin"), session=s)


def test_check_in_by_the_qr_page(world):
    s = ft.session(world)
    client = world.client("manager")
    url = reverse("training:checkin", args=[s.checkin_token])
    page = client.get(url)
    assert page.status_code == 200 and world.member.name in page.content.decode()
    done = client.post(url, follow=True)
    assert "签到成功" in done.content.decode()
    assert reverse("knowledge:exam", args=[s.exam.code]) in done.content.decode()
    again = client.post(url)
    assert again.status_code == 400 and "无需重复签到" in again.content.decode()
    assert client.get(reverse("training:checkin", args=["nope"])).status_code == 404


def test_the_session_page_shows_the_qr_code_to_its_organisers_only(world):
    s = ft.session(world)
    url = reverse("training:session", args=[s.code])
    city = world.client("city_admin").get(url).content.decode()
    assert 'data-testid="qr"' in city and s.checkin_token in city
    manager = world.client("manager").get(url).content.decode()
    assert 'data-testid="qr"' not in manager and s.checkin_token not in manager
    exam_url = reverse("knowledge:exam", args=[s.exam.code])
    assert exam_url in city and exam_url not in manager
    services.check_in(world.actor("manager"), session=s)
    assert exam_url in world.client("manager").get(url).content.decode()


def test_only_checked_in_leaders_sit_the_test_and_a_pass_earns_the_certificate(world):
    s = ft.session(world)
    manager = world.actor("manager")
    with pytest.raises(Exception) as refused:
        knowledge.attempt_start(manager, exam=s.exam, collective=world.collective)
    assert refused.type.__name__ == "PermissionDenied"
    invitation = services.check_in(manager, session=s)
    attempt = _pass_test(world, s)
    assert attempt.passed and attempt.member == world.member
    pdf = world.client("manager").get(reverse("training:certificate", args=[s.code, invitation.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = s.invitations.get(collective=world.other_collective)
    refused_pdf = world.client("city_admin").get(
        reverse("training:certificate", args=[s.code, other.pk])
    )
    assert refused_pdf.status_code == 403


def test_coverage_counts_trained_leaders_per_body_and_later_sessions_skip_them(world):
    s = ft.session(world)
    cycle = s.cycle
    services.check_in(world.actor("manager"), session=s)
    assert {
        r.body_id: (r.required, r.trained) for r in sel.coverage(world.actor("city_admin"), cycle)
    } == {
        world.body.pk: (1, 0),
        world.other_body.pk: (1, 0),
    }
    _pass_test(world, s)
    rows = sel.coverage(world.actor("city_admin"), cycle)
    assert {r.body_id: (r.required, r.trained) for r in rows} == {
        world.body.pk: (1, 1),
        world.other_body.pk: (1, 0),
    }
    assert [r.body_id for r in sel.coverage(world.actor("body_admin"), cycle)] == [world.body.pk]
    later = ft.session(world, title="第二期")
    assert list(later.invitations.values_list("collective_id", flat=True)) == [
        world.other_collective.pk
    ]
    page = world.client("city_admin").get(reverse("training:coverage")).content.decode()
    assert "50.0%" in page and "100.0%" in page
    xlsx = world.client("city_admin").get(reverse("training:coverage") + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_remind_tells_the_managers_of_those_not_checked_in(
    world, django_capture_on_commit_callbacks
):
    s = ft.session(world)
    services.check_in(world.actor("manager"), session=s)
    other = f.user("othermanager", f.Role.COLLECTIVE_MANAGER, collective=world.other_collective)
    with django_capture_on_commit_callbacks(execute=True):
        n = services.remind(world.actor("city_admin"), session=s)
    assert n == 1
    assert Notice.objects.filter(recipient=other, code="training.session.reminder").exists()
    assert not Notice.objects.filter(
        recipient=world.users["manager"], code="training.session.reminder"
    ).exists()
    with pytest.raises(Exception) as refused:
        services.remind(world.actor("outsider"), session=s)
    assert refused.type.__name__ == "PermissionDenied"


def test_the_daily_command_reminds_sessions_starting_within_a_day_once(
    world, django_capture_on_commit_callbacks
):
    soon = ft.session(world, starts_in=3 * HOUR)
    ft.session(world, starts_in=48 * HOUR, title="下月")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_training", stdout=io.StringIO())
    assert set(
        Invitation.objects.filter(reminded_at__isnull=False).values_list("session_id", flat=True)
    ) == {soon.pk}
    first = Notice.objects.filter(code="training.session.reminder").count()
    assert first == 1  # the world's manager; the other collective has none
    call_command("remind_training", stdout=io.StringIO())
    assert Notice.objects.filter(code="training.session.reminder").count() == first


def test_sessions_list_filters_exports_and_keeps_its_queries_constant(world):
    s = ft.session(world)
    client = world.client("city_admin")
    url = reverse("training:sessions")
    page = client.get(url + "?status=scheduled").content.decode()
    assert s.title in page and "0/2" in page
    assert s.title not in client.get(url + "?status=cancelled").content.decode()
    xlsx = client.get(url + "?export=xlsx")
    assert xlsx.status_code == 200
    assert world.client("manager").get(url).content.decode().count(s.title) == 1
    n = iter(range(100))
    assert_constant_queries(
        lambda: client.get(url), lambda: ft.session(world, title=f"第{next(n)}期")
    )


def test_a_new_session_from_the_form(world):
    cycle = ft.creating_world(world)
    client = world.client("body_admin")
    start = timezone.localtime() + HOUR
    data = {
        "organiser": world.body.pk,
        "cycle": cycle.pk,
        "title": "石岐号长轮训",
        "place": "街道会议室",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + HOUR).strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post(reverse("training:session_create"), {**data, "ends_at": data["starts_at"]})
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()
    done = client.post(reverse("training:session_create"), data)
    assert done.status_code == 302
    assert re.search(r"/office/training/\w+/$", done["Location"])
    tampered = client.post(
        reverse("training:session_create"), {**data, "organiser": world.other_body.pk}
    )
    assert tampered.status_code == 404


def test_the_re_review_item_scores_the_body_coverage(world):
    from qnwmh.oversight.metrics import computed_scores
    from qnwmh.oversight.models import Metric, Source, Standard

    s = ft.session(world)
    year = s.cycle.registration_year
    standard = Standard.objects.create(year=year, name="t", created_by=world.users["city_admin"])
    item = standard.items.create(
        position=1,
        label="号长轮训",
        points=10,
        source=Source.COMPUTED,
        metric=Metric.LEADER_TRAINING,
    )
    other_title = world.other_collective.titles.get()

    def score():
        scores = computed_scores(standard, [world.title, other_title], year)
        return scores[world.title.id][item.id][0], scores[other_title.id][item.id][0]

    assert score() == (0, 0)
    services.check_in(world.actor("manager"), session=s)
    _pass_test(world, s)
    assert [str(p) for p in score()] == ["10.00", "0.00"]
    # A later year without a newer cycle still counts this cycle's training: full points.
    later = computed_scores(standard, [world.title], year + 5)[world.title.id][item.id][0]
    assert str(later) == "10.00"


def test_the_collective_office_page_shows_its_leader_trainings(world):
    s = ft.session(world)
    services.check_in(world.actor("manager"), session=s)
    _pass_test(world, s)
    page = world.client("body_admin").get(
        reverse("collectives:detail", args=[world.collective.code])
    )
    body = page.content.decode()
    assert 'data-testid="training-panel"' in body and s.title in body and "合格" in body
    public = world.client("anonymous").get(
        reverse("public:collective", args=[world.collective.code])
    )
    assert 'data-testid="training-panel"' not in public.content.decode()


def test_the_session_page_keeps_its_queries_constant(world):
    s = ft.session(world)
    client = world.client("city_admin")
    url = reverse("training:session", args=[s.code])
    n = iter(range(100))

    def more_invited():
        c = f.collective(world.body, name=f"新集体{next(n)}", members=2)
        f.title(c)
        from qnwmh.creation import membership

        membership.refresh(c.pk)
        services.invite_required(world.actor("city_admin"), s)

    assert_constant_queries(lambda: client.get(url), more_invited)


def test_the_demo_builds_a_session_under_way_with_attendance_and_a_pass(world):
    from qnwmh.core.demo_context import DemoContext
    from qnwmh.training import demo

    cycle = ft.creating_world(world)
    ctx = DemoContext()
    ctx.users = {"city_admin": world.users["city_admin"], "manager_demo": world.users["manager"]}
    ctx.extra["cycle"] = cycle
    third = f.collective(world.other_body, members=3)
    f.title(third)
    from qnwmh.creation import membership

    membership.refresh(third.pk)
    demo.build(ctx)
    s = ctx.extra["training_session"]
    assert s.starts_at < timezone.now() < s.ends_at
    checked = s.invitations.filter(checked_in_at__isnull=False)
    # The demo manager's collective is left for the visitor to check in by QR.
    assert not checked.filter(collective=world.collective).exists()
    assert checked.count() == 2 and s.invitations.count() == 3
    assert Attempt.objects.filter(exam=s.exam, passed=True).count() == 2
    home = world.client("manager").get(reverse("core:home")).content.decode()
    assert "号长待参加的轮训" in home and s.title in home


def test_the_api_checks_in_once_and_reports_coverage(world):
    from tests.api.helpers import ApiClient, api_token

    s = ft.session(world)
    manager = ApiClient(api_token(world.users["manager"])[1])
    done = manager.request("post", f"/training/checkin/{s.checkin_token}", {})
    assert done.status_code == 200 and done.json()["collective_code"] == world.collective.code
    again = manager.request("post", f"/training/checkin/{s.checkin_token}", {})
    assert again.status_code == 400 and "无需重复签到" in again.json()["detail"]
    city = ApiClient(api_token(world.users["city_admin"])[1])
    detail = city.request("get", f"/training/sessions/{s.code}").json()
    assert (detail["invited"], detail["checked_in"]) == (2, 1)
    invited = city.request("get", f"/training/sessions/{s.code}/invitations").json()
    assert invited["count"] == 2
    coverage = city.request("get", "/training/coverage", cycle=s.cycle.code).json()
    assert (coverage["required"], coverage["trained"]) == (2, 0)


def test_the_api_sets_reminds_and_cancels_a_session(world):
    from tests.api.helpers import ApiClient, api_token

    cycle = ft.creating_world(world)
    starts = timezone.now() + datetime.timedelta(days=3)
    payload = {
        "organiser": world.city.code,
        "cycle": cycle.code,
        "title": "号长轮训（接口）",
        "place": "市青少年活动中心",
        "starts_at": starts.isoformat(),
        "ends_at": (starts - datetime.timedelta(hours=1)).isoformat(),
    }
    city = ApiClient(api_token(world.users["city_admin"])[1])
    wrong = city.post("/training/sessions", payload)
    assert (
        wrong.status_code == 400 and not Session.objects.filter(title="号长轮训（接口）").exists()
    )
    payload["ends_at"] = (starts + datetime.timedelta(days=30)).isoformat()
    too_long = city.post("/training/sessions", payload)
    assert too_long.status_code == 400 and "不超过 7 天" in too_long.json()["detail"]
    far_off = {**payload, "starts_at": "9999-12-30T08:00:00", "ends_at": "9999-12-30T10:00:00"}
    assert city.post("/training/sessions", far_off).status_code == 400
    nul = city.post("/training/sessions", {**payload, "title": "轮训\x00"})
    assert nul.status_code == 422  # refused by the schema, before the database sees it
    payload["ends_at"] = (starts + datetime.timedelta(hours=2)).isoformat()
    made = city.post("/training/sessions", payload)
    assert made.status_code == 201 and made.json()["invited"] == 2
    code = made.json()["code"]
    assert city.post(f"/training/sessions/{code}/remind").json() == {"notified": 2}
    assert city.post(f"/training/sessions/{code}/invite-more").json() == {"notified": 0}
    body = ApiClient(api_token(world.users["body_admin"])[1])
    assert body.post(f"/training/sessions/{code}/cancel").status_code == 403
    cancelled = city.post(f"/training/sessions/{code}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_leaders_due_since_are_invited_on_request_once(world, django_capture_on_commit_callbacks):
    from qnwmh.creation import membership

    s = ft.session(world, role="body_admin", organiser=world.body)
    late = f.collective(world.body, name="石岐街道新获称号集体", members=2)
    f.title(late)
    membership.refresh(late.pk)
    manager = f.user("latemanager", f.Role.COLLECTIVE_MANAGER, collective=late)
    client = world.client("body_admin")
    url = reverse("training:invite", args=[s.code])
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, follow=True)
    assert "补充通知了 1 名号长" in done.content.decode()
    assert s.invitations.filter(collective=late).count() == 1
    assert Notice.objects.filter(recipient=manager, code="training.session.invited").exists()
    again = client.post(url, follow=True)
    assert "补充通知了 0 名号长" in again.content.decode()
    assert s.invitations.count() == 2


def test_a_new_leader_takes_over_the_collectives_invitation(
    world, django_capture_on_commit_callbacks
):
    from qnwmh.audit.models import AuditEntry

    s = ft.session(world)
    world.member.is_leader = False
    world.member.save(update_fields=["is_leader"])
    new_leader = f.member(world.collective, is_leader=True, name="新号长")
    with django_capture_on_commit_callbacks(execute=True):
        n = services.invite_more(world.actor("city_admin"), session=s)
    assert n == 1
    invitation = s.invitations.get(collective=world.collective)
    assert (invitation.member, invitation.leader_name) == (new_leader, "新号长")
    assert s.invitations.count() == 2
    assert AuditEntry.objects.filter(code="training.invitation.leader_changed").count() == 1
    assert Notice.objects.filter(recipient=world.users["manager"], params__leader="新号长").exists()
    assert services.invite_more(world.actor("city_admin"), session=s) == 0


def test_a_session_started_or_with_check_ins_cannot_be_cancelled(world):
    city = world.actor("city_admin")
    started = ft.session(world, starts_in=-HOUR, title="进行中")
    with pytest.raises(DomainError, match="不能取消"):
        services.cancel(city, session=started)
    attended = ft.session(world, title="已签到")
    services.check_in(world.actor("manager"), session=attended)
    with pytest.raises(DomainError, match="不能取消"):
        services.cancel(city, session=attended)
    client = world.client("city_admin")
    url = reverse("training:session", args=[attended.code])
    assert reverse("training:cancel", args=[attended.code]) not in client.get(url).content.decode()
    done = client.post(
        reverse("training:cancel", args=[attended.code]), {"confirmed": "1"}, follow=True
    )
    assert "不能取消" in done.content.decode()
    for s in (started, attended):
        s.refresh_from_db()
        assert s.status == SessionStatus.SCHEDULED


def test_the_daily_command_skips_invitations_already_reminded(
    world, django_capture_on_commit_callbacks
):
    s = ft.session(world, starts_in=3 * HOUR)
    f.user("othermanager", f.Role.COLLECTIVE_MANAGER, collective=world.other_collective)
    reminded = s.invitations.get(collective=world.collective)
    reminded.reminded_at = timezone.now()
    reminded.save(update_fields=["reminded_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_due(world.actor("city_admin")) == 1
    reminders = Notice.objects.filter(code="training.session.reminder")
    assert list(reminders.values_list("recipient__username", flat=True)) == ["othermanager"]
