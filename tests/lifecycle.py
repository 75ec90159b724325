"""One cycle of the programme from nothing to "scoring closed and aggregated", driven the way
its people drive it: ``through_pages`` clicks through the real pages as each person (with
``tests.page_forms.Browser``: the forms the page offers, posted as a browser posts them);
``through_api`` makes the same moves through API v1 with each person's token, and uses the
page only for the steps the API has no route for (each one says so where it happens).

Both start from a ``Cast`` (``cast(world)``): the world's city admin and two body admins,
six fresh collectives over the two bodies with an eligible roster and a manager each, a
review area over both towns with three reviewers, and a small question bank. Both return a
``Run`` — the cycle, its round, the applications in the cast's order, the points each was
given and each person's client — which the awards half takes from there (ranking, notice,
objections, decision, certificates, nomination).

One order differs from the way the issue lists the steps: each leader sits the knowledge
test while applications are open, before the body recommends, because a body may recommend
only an application whose collective has passed (the round then moves to review)."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.urls import reverse
from django.utils import timezone

from qnwmh.accounts.models import User
from qnwmh.certification.models import (
    Application,
    Assignment,
    CertificationRound,
    ReviewArea,
    Reviewer,
    ScoreSet,
)
from qnwmh.collectives.models import Collective
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.models import Cycle, Phase, Quota, Registration
from qnwmh.knowledge.models import Attempt
from qnwmh.orgs.models import Organisation
from qnwmh.programme.models import Dimension
from tests import evidence_files as ef
from tests import factories as f
from tests import factories_certification as fcert
from tests import knowledge_builders as kb
from tests.api.helpers import ApiClient, Multipart, api_token
from tests.page_forms import Browser

QUOTA = 3  # per body: three collectives each, all accepted (a 2:1 cap of one place per body)
_sessions = itertools.count(40)  # a cycle per run: two runs in one test do not collide


# The people and what they start with ---------------------------------------------------------


@dataclass
class Cast:
    session_no: int
    city: User
    bodies: list[Organisation]
    body_admins: dict[int, User]  # body id → its admin
    collectives: list[Collective]
    managers: dict[int, User]  # collective id → its manager
    area: ReviewArea
    reviewers: list[Reviewer]  # as many as the rules' reviewers per application: all score all

    def points(self, index: int) -> int:
        """The points every reviewer gives the index-th collective, on every dimension of
        both score sets (each reviewer a point apart, so the mean is this figure)."""
        return 92 - 4 * index


def cast(world: Any, *, collectives: int = 6) -> Cast:
    """Six collectives (three per body) with six members each (the rules' minimum; the first
    the leader, all 28), each with its own manager; reviewers with no tie to any of them."""
    bodies = [world.body, world.other_body]
    made = []
    for i in range(collectives):
        c = f.collective(bodies[i % 2], members=6, name=f"全周期青年集体{i + 1}号")
        made.append(c)
    area = fcert.area([world.town, world.other_town], name="全周期片区")
    kb.category(name="管理办法", questions=5)
    return Cast(
        session_no=next(_sessions),
        city=world.users["city_admin"],
        bodies=bodies,
        body_admins={
            world.body.pk: world.users["body_admin"],
            world.other_body.pk: world.users["outsider"],
        },
        collectives=made,
        managers={c.pk: f.user(None, f.Role.COLLECTIVE_MANAGER, collective=c) for c in made},
        area=area,
        reviewers=[fcert.reviewer(areas=[area], employer=f"评审单位{j}") for j in range(3)],
    )


Client = TypeVar("Client", Browser, ApiClient)


@dataclass
class People(Generic[Client]):
    """One client (a page browser or an API caller) per person of the cast."""

    city: Client
    bodies: dict[int, Client]  # body id → its admin's
    managers: dict[int, Client]  # collective id → its manager's
    reviewers: dict[int, Client]  # reviewer id → the reviewer's

    @classmethod
    def of(cls, c: Cast, client: Callable[[User], Client]) -> People[Client]:
        return cls(
            city=client(c.city),
            bodies={pk: client(u) for pk, u in c.body_admins.items()},
            managers={pk: client(u) for pk, u in c.managers.items()},
            reviewers={rv.pk: client(rv.user) for rv in c.reviewers},
        )


@dataclass
class Run:
    """What one run leaves for the awards half: the cycle in certification, its round with
    scoring closed and aggregated, the applications (recommended, in the cast's order), and
    every person's page browser and API client, logged in."""

    cast: Cast
    cycle: Cycle
    round: CertificationRound
    applications: list[Application]
    points: dict[int, int]  # application id → the points its reviewers gave
    pages: People[Browser]
    api: People[ApiClient]

    def expected_combined(self, app: Application) -> Decimal:
        return Decimal(self.points[app.pk]).quantize(Decimal("0.01"))


# Dates: a cycle around today whatever today is ------------------------------------------------


def cycle_dates(today: datetime.date) -> dict[str, Any]:
    """A registration window holding today (its deadline in the odd registration year, as
    the rules require); creation and certification in the years after."""
    reg_year = today.year if today.year % 2 else today.year + 1
    return {
        "registration_year": reg_year,
        "registration_opens_on": today - datetime.timedelta(days=30),
        "registration_closes_on": datetime.date(reg_year, 12, 31),
        "creation_ends_on": datetime.date(reg_year + 1, 3, 31),
        "certification_starts_on": datetime.date(reg_year + 1, 5, 1),
        "certification_ends_on": datetime.date(reg_year + 1, 12, 31),
    }


def round_windows(today: datetime.date) -> dict[str, datetime.date]:
    """Every window of the round holding today: the city sets them when it opens the round
    (the defaults spread over the certification year, which may not have come yet)."""
    start, end = today - datetime.timedelta(days=1), today + datetime.timedelta(days=30)
    return {
        "applications_open_on": start,
        "applications_close_on": end,
        "test_opens_on": start,
        "test_closes_on": end,
        "site_from": start,
        "site_to": end,
        "defence_from": start,
        "defence_to": end,
        "scoring_closes_on": end,
    }


def _iso(values: dict[str, Any]) -> dict[str, str]:
    return {k: v.isoformat() if isinstance(v, datetime.date) else str(v) for k, v in values.items()}


def photo(name: str, seed: int) -> Any:
    """A real small JPEG, as a phone would upload it."""
    return ef.upload(name, ef.jpeg(color=(seed * 37 % 255, 120, 60)), "image/jpeg")


# What each collective records in its creation phase: a drill and an open week, a photo each.
ACTIVITIES = (("job_drill", "岗位练兵：业务技能比武"), ("open_week", "青年开放周"))
ACTIVITY = {
    "place": "服务大厅",
    "participants": "12",
    "description": "全体青年参加，群众代表现场体验。",
}


def _scores_form(points: int) -> dict[str, str]:
    data = {}
    for d in Dimension.values:
        data[f"{d}_points"] = str(points)
        data[f"{d}_comment"] = "材料齐全，成效明显。"
    return data


def _scores_json(points: int) -> dict[str, dict[str, str]]:
    return {d: {"points": str(points), "comment": "材料齐全，成效明显。"} for d in Dimension.values}


def _reviewer_points(base: int, j: int) -> int:
    return base + j - 1  # -1, 0, +1: the mean is the base


# The steps only city staff's pages offer (shared by both drivers) -----------------------------


def _city_moves_cycle(city: Browser, cycle: Cycle, to: Phase) -> None:
    city.get(reverse("cycles:detail", args=[cycle.code]))
    city.submit(reverse("cycles:move", args=[cycle.code]), {"to": to.value})
    city.says(f"周期已进入“{to.label}”阶段。")


def _city_opens_cycle(city: Browser, c: Cast) -> Cycle:
    """Create the cycle, open registration (quotas computed, rules frozen), set each body's
    quota and publish them. No API route: cycles are created and moved on the pages only."""
    city.get(reverse("cycles:create"))
    city.submit(None, {"session_no": c.session_no, **_iso(cycle_dates(timezone.localdate()))})
    city.says("创建周期已建立。")
    cycle = Cycle.objects.get(session_no=c.session_no)
    assert city.url == reverse("cycles:detail", args=[cycle.code])
    _city_moves_cycle(city, cycle, Phase.REGISTRATION_OPEN)
    city.get(reverse("cycles:quotas", args=[cycle.code]))
    for body in c.bodies:
        quota = Quota.objects.get(cycle=cycle, body=body)
        city.submit(
            reverse("cycles:quota_override", args=[cycle.code, quota.pk]),
            {"value": QUOTA, "reason": "按创建计划统筹"},
        )
        city.says("名额已调整。")
    city.submit(reverse("cycles:quota_publish", args=[cycle.code]))
    city.says("名额已公布，各组织已收到通知。")
    return cycle


def _city_opens_round(city: Browser, cycle: Cycle) -> CertificationRound:
    """Into certification (the round is created), the round's windows set around today,
    applications opened (the round's exam is made). No API route for either."""
    _city_moves_cycle(city, cycle, Phase.CERTIFICATION)
    r = CertificationRound.objects.get(cycle=cycle)
    city.get(reverse("certification:round_edit", args=[r.code]))
    city.submit(None, _iso(round_windows(timezone.localdate())))
    city.says("已保存。")
    _city_moves_round(city, r, "applications", "申报中")
    r.refresh_from_db()
    assert r.exam_id is not None
    return r


def _city_moves_round(city: Browser, r: CertificationRound, to: str, label: str) -> None:
    city.get(reverse("certification:round", args=[r.code]))
    city.submit(reverse("certification:round_move", args=[r.code]), {"to": to})
    city.says(label)
    assert CertificationRound.objects.get(pk=r.pk).status == to


def _city_forms_panel(city: Browser, r: CertificationRound, c: Cast) -> None:
    """The area's panel (评审组) for this round. No API route: panels are only read there."""
    city.get(reverse("certification:panel_edit", args=[r.code, c.area.code]))
    city.submit(
        None, {"members": [str(rv.pk) for rv in c.reviewers], "chair": str(c.reviewers[0].pk)}
    )
    city.says("评审组已保存。")


def _city_closes_and_aggregates(city: Browser, r: CertificationRound) -> None:
    """Scoring closes and the city aggregates. No API route: the round moves and the
    aggregation runs on the pages; the API reads the results."""
    _city_moves_round(city, r, "closed", "评分已截止")
    city.get(reverse("certification:scores", args=[r.code]))
    city.submit(reverse("certification:aggregate", args=[r.code]), button="重新汇总")
    city.says(f"已重新汇总 {r.applications.count()} 份申报的得分。")


# Through the pages ----------------------------------------------------------------------------


def through_pages(c: Cast) -> Run:
    pages = People.of(c, Browser)
    city, bodies, managers = pages.city, pages.bodies, pages.managers

    cycle = _city_opens_cycle(city, c)

    # 报备: each manager files; its body accepts (初评) and submits its list; the city files it.
    for col in c.collectives:
        page = managers[col.pk]
        page.get(reverse("cycles:registration_create", args=[cycle.code]))
        page.submit(
            None,
            {
                "plan_summary": "以岗位练兵和开放周为载体，提升窗口服务质量。",
                "leading_group": "张敏 号长\n李强 副组长",
                "pledge": "热情服务，接受监督。",
                "pledge_confirmed": True,
            },
        )
        page.says("报备已提交")
    for col in c.collectives:
        reg = Registration.objects.get(cycle=cycle, collective=col)
        admin = bodies[col.body_id]
        admin.get(reverse("cycles:registration_detail", args=[cycle.code, reg.code]))
        admin.submit(
            reverse("cycles:registration_review", args=[cycle.code, reg.code]), button="初评通过"
        )
        admin.says(f"报备 {reg.number} 已通过初评。")
    for body in c.bodies:
        admin = bodies[body.pk]
        admin.get(reverse("cycles:registrations", args=[cycle.code]))
        admin.submit(reverse("cycles:submission_submit", args=[cycle.code, body.pk]))
        admin.says("名单已报送团市委。")
    city.get(reverse("cycles:submissions", args=[cycle.code]))
    for body in c.bodies:
        city.submit(reverse("cycles:submission_decide", args=[cycle.code, body.pk]), button="接收")
        city.says("已接收该组织的报备名单。")
    _city_moves_cycle(city, cycle, Phase.REGISTRATION_CLOSED)
    _city_moves_cycle(city, cycle, Phase.CREATION)

    # 创建: a log entry with a photo and an open week, by each manager.
    entries: dict[int, list[str]] = {}
    for i, col in enumerate(c.collectives):
        page = managers[col.pk]
        new = reverse("creation:entry_create", args=[col.code])
        for n, (kind, title) in enumerate(ACTIVITIES):
            page.get(new)
            fields = {"kind": kind, "title": title, **ACTIVITY}
            page.submit(None, {**fields, "attachments": [photo(f"{kind}.jpg", i * 2 + n)]})
            page.says("创建日志已登记。", title)
        entries[col.pk] = list(
            LogEntry.objects.filter(collective=col, cycle=cycle).values_list("code", flat=True)
        )
        assert LogEntry.objects.filter(collective=col, evidence_count=1).count() == 2

    r = _city_opens_round(city, cycle)

    # 申报: each manager applies with a self-assessment per dimension, the log entries as its
    # basis for 创建特色; the leader sits the test; the body recommends in rank order.
    for col in c.collectives:
        page = managers[col.pk]
        page.get(reverse("certification:application_create", args=[r.code]))
        page.submit(None, {"collective": str(col.pk)}, button="建立申报")
        page.says("申报已建立，请填写自评后提交。")
        fields: dict[str, Any] = {"statement": f"{col.name}的创建事迹。"}
        fields.update(
            {f"text_{d}": f"{Dimension(d).label}：按计划落实。" for d in Dimension.values}
        )
        fields["entries_features"] = entries[col.pk]
        page.submit(None, fields)
        page.says("自评已保存。")
        app = Application.objects.get(round=r, collective=col)
        page.get(reverse("certification:application", args=[r.code, app.code]))
        page.submit(
            reverse("certification:application_submit", args=[r.code, app.code]),
            button="提交申报",
        )
        page.says("申报已提交，等待组织推荐。")
        _sits_test_on_pages(page, r, col)
    for rank, col in enumerate(c.collectives, start=1):
        app = Application.objects.get(round=r, collective=col)
        admin = bodies[col.body_id]
        admin.get(reverse("certification:application", args=[r.code, app.code]))
        admin.submit(
            reverse("certification:application_recommend", args=[r.code, app.code]),
            {"recommendation": "创建扎实，同意推荐。", "rank": str((rank + 1) // 2)},
        )
        admin.says("已推荐该申报。")

    # 评审: the round moves to review; the panel is formed and drawn; each reviewer accepts
    # and scores both sets.
    _city_moves_round(city, r, "review", "测试与评审")
    _city_forms_panel(city, r, c)
    city.get(reverse("certification:panels", args=[r.code]))
    city.submit(reverse("certification:draw", args=[r.code]), button="自动分配")
    n = len(c.collectives)
    city.says(f"已为 {n} 份申报分配 {n * len(c.reviewers)} 人次评委")
    apps = [Application.objects.get(round=r, collective=col) for col in c.collectives]
    points = {app.pk: c.points(i) for i, app in enumerate(apps)}
    for j, rv in enumerate(c.reviewers):
        page = pages.reviewers[rv.pk]
        for a in Assignment.objects.filter(reviewer=rv, application__round=r).order_by("id"):
            page.get(reverse("certification:review_home"))
            page.submit(reverse("certification:assignment_accept", args=[a.code]), button="接受")
            page.says("已接受评审邀请。")
            for score_set in ScoreSet.values:
                page.get(reverse("certification:sheet", args=[a.code, score_set]))
                page.submit(
                    None,
                    _scores_form(_reviewer_points(points[a.application_id], j)),
                    button="提交评分",
                )
                page.says("评分表已提交。")

    _city_closes_and_aggregates(city, r)
    for app in apps:  # the city's score list, where the aggregation sent it back
        city.says(app.collective.name, f"<strong>{points[app.pk]}.00</strong>")
    return Run(
        cast=c,
        cycle=cycle,
        round=r,
        applications=apps,
        points=points,
        pages=pages,
        api=People.of(c, _token),
    )


def _sits_test_on_pages(page: Browser, r: CertificationRound, col: Collective) -> None:
    """The leader (preselected as the sitter) starts, answers every question right (the
    leader studied the rules) and hands in."""
    page.get(reverse("knowledge:exam", args=[r.exam.code]))
    page.submit(reverse("knowledge:start", args=[r.exam.code]), button="开始答题")
    attempt = Attempt.objects.get(exam=r.exam, collective=col)
    assert page.url == reverse("knowledge:attempt", args=[attempt.code])
    form, _button = page.form(reverse("knowledge:answer", args=[attempt.code]), "交卷")
    answers = {name: kb.key(int(name[1:])) for name in sorted(form.names()) if name[:1] == "q"}
    assert len(answers) == 5
    page.submit(reverse("knowledge:answer", args=[attempt.code]), answers, button="交卷")
    page.says("已交卷。", "合格")


# Through the API ------------------------------------------------------------------------------


def _token(user: User) -> ApiClient:
    return ApiClient(api_token(user, name="全周期")[1])


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response.json()


def through_api(c: Cast) -> Run:
    api = People.of(c, _token)
    city, bodies, managers = api.city, api.bodies, api.managers
    pages = People.of(c, Browser)
    city_page = pages.city  # for the city's steps the API has no route for

    cycle = _city_opens_cycle(city_page, c)
    assert _ok(city.get(f"/cycles/{cycle.code}"))["quotas_published"] is True
    quotas = _ok(city.get(f"/cycles/{cycle.code}/quotas"))
    assert {q["body_id"]: q["quota"] for q in quotas if q["body_id"] in bodies} == {
        b.pk: QUOTA for b in c.bodies
    }

    # 报备, 初评, the list submitted and filed.
    regs: dict[int, str] = {}
    for col in c.collectives:
        roster = _ok(managers[col.pk].get(f"/collectives/{col.code}/members"))["results"]
        [leader] = [m["name"] for m in roster if m["is_leader"]]  # the form prefills it
        filed = managers[col.pk].post(
            f"/cycles/{cycle.code}/registrations",
            {
                "collective_code": col.code,
                "plan_summary": "以岗位练兵和开放周为载体，提升窗口服务质量。",
                "leader_name": leader,
                "leading_group": "张敏 号长\n李强 副组长",
                "pledge": "热情服务，接受监督。",
            },
        )
        regs[col.pk] = _ok(filed, 201)["registration"]["code"]
    for col in c.collectives:
        reviewed = bodies[col.body_id].post(
            f"/cycles/{cycle.code}/registrations/{regs[col.pk]}/review", {"action": "accept"}
        )
        assert _ok(reviewed)["status"] == "accepted"
    for body in c.bodies:
        sent = bodies[body.pk].post(f"/cycles/{cycle.code}/submissions/{body.pk}/submit")
        assert _ok(sent)["status"] == "submitted"
        decided = city.post(
            f"/cycles/{cycle.code}/submissions/{body.pk}/decide", {"action": "accept"}
        )
        assert _ok(decided)["status"] == "accepted"
    listed = _ok(city.get(f"/cycles/{cycle.code}/registrations", status="filed"))
    assert listed["count"] == len(c.collectives)
    # No API route moves a cycle between phases: the city's page does.
    _city_moves_cycle(city_page, cycle, Phase.REGISTRATION_CLOSED)
    _city_moves_cycle(city_page, cycle, Phase.CREATION)

    # 创建日志 with a photo, and an open week.
    entries: dict[int, list[str]] = {}
    today = timezone.localdate().isoformat()
    for i, col in enumerate(c.collectives):
        caller = managers[col.pk]
        codes = []
        for n, (kind, title) in enumerate(ACTIVITIES):
            made = caller.post(
                f"/creation/{col.code}/entries",
                Multipart(
                    kind=kind,
                    title=title,
                    occurred_on=today,
                    public="true",
                    files=[photo(f"{kind}.jpg", i * 2 + n)],
                    **ACTIVITY,
                ),
            )
            body = _ok(made, 201)
            assert (
                len(body["evidence"]) == 1 and body["evidence"][0]["content_type"] == "image/jpeg"
            )
            codes.append(body["code"])
        entries[col.pk] = codes

    r = _city_opens_round(city_page, cycle)
    base = f"/certification/rounds/{r.code}"
    assert _ok(city.get(base))["status"] == "applications"

    # 申报, self-assessment, submission, the leader's test, the body's recommendation.
    app_codes: dict[int, str] = {}
    for col in c.collectives:
        caller = managers[col.pk]
        code = _ok(caller.post(base + "/applications", {"collective_code": col.code}), 201)["code"]
        assessments: dict[str, Any] = {
            d: {"text": f"{Dimension(d).label}：按计划落实。"} for d in Dimension.values
        }
        assessments["features"]["entries"] = entries[col.pk]
        saved = caller.patch(
            f"{base}/applications/{code}",
            {"statement": f"{col.name}的创建事迹。", "assessments": assessments},
        )
        _ok(saved)
        assert _ok(caller.post(f"{base}/applications/{code}/submit"))["status"] == "submitted"
        app_codes[col.pk] = code
        _sits_test_by_api(caller, r, col)
    for rank, col in enumerate(c.collectives, start=1):
        done = bodies[col.body_id].post(
            f"{base}/applications/{app_codes[col.pk]}/recommend",
            {"recommendation": "创建扎实，同意推荐。", "rank": (rank + 1) // 2},
        )
        got = _ok(done)
        assert (got["status"], got["test"]["passed"]) == ("recommended", True)

    # 评审.
    _city_moves_round(city_page, r, "review", "测试与评审")
    _city_forms_panel(city_page, r, c)
    drawn = _ok(city.post(base + "/draws", {"area": c.area.code}), 201)
    n = len(c.collectives)
    assert (drawn["applications"], drawn["assignments"]) == (n, n * len(c.reviewers))
    apps = [Application.objects.get(round=r, code=app_codes[col.pk]) for col in c.collectives]
    points = {app.pk: c.points(i) for i, app in enumerate(apps)}
    by_code = {app.code: points[app.pk] for app in apps}
    for j, rv in enumerate(c.reviewers):
        caller = api.reviewers[rv.pk]
        mine = _ok(caller.get("/certification/review/assignments"))
        assert sorted(a["application"] for a in mine) == sorted(by_code)
        for a in mine:
            _ok(caller.post(f"/certification/review/assignments/{a['code']}/accept"))
            for score_set in ScoreSet.values:
                path = f"/certification/scoring/assignments/{a['code']}/sheets/{score_set}/submit"
                scores = _scores_json(_reviewer_points(by_code[a["application"]], j))
                _ok(caller.post(path, {"scores": scores}))

    _city_closes_and_aggregates(city_page, r)
    results = _ok(city.get(f"/certification/scoring/rounds/{r.code}/results"))
    assert {row["application"]: row["combined"] for row in results["results"]} == {
        code: f"{n}.00" for code, n in by_code.items()
    }
    return Run(
        cast=c,
        cycle=cycle,
        round=r,
        applications=apps,
        points=points,
        pages=pages,
        api=api,
    )


def _sits_test_by_api(api: ApiClient, r: CertificationRound, col: Collective) -> None:
    exams = _ok(api.get("/knowledge/exams"))
    [exam] = [e for e in exams if e["code"] == r.exam.code]
    [candidacy] = exam["candidacies"]
    [leader] = candidacy["sitters"]
    started = api.post(
        f"/knowledge/exams/{exam['code']}/attempts",
        {"collective_code": col.code, "member_id": leader["id"]},
    )
    body = _ok(started, 201)
    answers = [{"question_id": q["id"], "option_ids": kb.key(q["id"])} for q in body["paper"]]
    _ok(api.post(f"/knowledge/attempts/{body['code']}/answers", {"answers": answers}))
    done = _ok(api.post(f"/knowledge/attempts/{body['code']}/submit"))
    assert done["passed"] is True
