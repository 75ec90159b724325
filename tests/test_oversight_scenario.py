"""One year of oversight through the services, the clock moved from January to November and
on to the next registration: a complaint and its warning, a seeded spot check whose failed
visits order two rectifications — one succeeds, one is missed and ends in revocation — then
the annual re-review with an exempt provincial holder and computed items, deciding a warning,
a star down and a pass. The revoked collective is refused at the next registration with the
reason, and the public page and the verify page say what happened."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qnwmh.collectives.models import Level, TitleStatus
from qnwmh.core.errors import DomainError
from qnwmh.creation.models import LogEntry
from qnwmh.cycles.services import registrations
from qnwmh.oversight.ladder import Standing
from qnwmh.oversight.models import (
    Basis,
    CaseStatus,
    Exit,
    ExitKind,
    Metric,
    Outcome,
    RectificationStatus,
    ReviewStatus,
    RevocationCategory,
    SanctionKind,
    SanctionStatus,
    Source,
    VisitReason,
)
from qnwmh.oversight.selectors.standing import standings
from qnwmh.oversight.services import rectification, review, sanctions, spotcheck
from tests import factories as f
from tests import factories_cycles as fc
from tests import factories_oversight as fo
from tests import supervision_builders as sb
from tests.factories_awards import city_user

pytestmark = pytest.mark.django_db

YEAR = 2027


def at(month: int, day: int) -> Any:
    """The clock at 10:00 local time on that day of the scenario's year."""
    moment = datetime.datetime(YEAR, month, day, 10, 0)
    return time_machine.travel(timezone.make_aware(moment), tick=False)


def _failed_visit(city: Any, draw: Any, title: Any) -> Any:
    """The title's visit from the draw (or one outside it when the draw left it out),
    recorded as failed and closed."""
    visit = draw.visits.filter(title=title).first() or spotcheck.adhoc(
        city, title=title, covert=True, note="群众反映服务不规范"
    )
    visit = spotcheck.record(
        city,
        visit,
        visited_on=timezone.localdate(),
        inspectors="团市委 张三、李四",
        findings=[
            {"item": key, "ok": key not in ("pledges", "records"), "note": ""}
            for key in spotcheck.CHECKLIST_KEYS
        ],
        summary="服务承诺未公示，创建台帐缺失。",
        result="failed",
    )
    return spotcheck.close(city, visit)


def test_one_year_of_oversight(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    with at(1, 10):
        city = f.actor(city_user())
        body_org = f.body()
        body = f.actor(f.user(role="body_admin", organisation=body_org))
        titles = {
            name: fo.city_title(body_org, stars=stars, year=YEAR - 1)
            for name, stars in (("A", 1), ("B", 2), ("C", 1), ("D", 1), ("E", 1))
        }
        for t in titles.values():
            t.awarded_on = datetime.date(YEAR - 1, 12, 20)
            t.save()
        managers = {
            name: f.actor(f.user(role="collective_manager", collective=t.collective))
            for name, t in titles.items()
        }
        # E also holds the provincial title: its city title is kept without review.
        f.title(titles["E"].collective, Level.PROVINCIAL, year=YEAR - 1, session_no=22)
        A, B, C, D, E = (titles[k] for k in "ABCDE")

    # February: an upheld complaint about B, and the city's warning on it.
    with at(2, 3):
        complaint = sb.complaint(B.collective, upheld=True)
        sanctions.impose(
            city,
            title=B,
            kind=SanctionKind.WARNING,
            basis=Basis.COMPLAINT,
            complaint=complaint,
            reason="窗口服务态度投诉经核查属实。",
        )
        assert standings([B])[B.id].standing == Standing.WARNED

    # March: the year's spot check, drawn with a seed; B is in for its upheld complaint, E is
    # exempt and not in the population; the same seed draws the same sample again.
    with at(3, 2):
        draw = spotcheck.draw_year(city, year=YEAR, pct=50, seed="zs-2027")
        population = {row[0] for row in draw.population}
        assert E.id not in population and {A.id, B.id, C.id, D.id} <= population
        # B must be checked: drawn at random, or else added on top for its complaint.
        assert B.id in {*draw.drawn, *draw.upheld}
        if B.id in draw.upheld:
            assert draw.visits.get(title=B).reason == VisitReason.UPHELD_COMPLAINT
        assert spotcheck.redraw(draw, "zs-2027") == draw.drawn
        orders = {}
        for name in "CD":
            visit = _failed_visit(city, draw, titles[name])
            orders[name] = rectification.order(
                body,
                title=titles[name],
                basis=Basis.SPOT_CHECK,
                visit=visit,
                requirements="一个月内公示服务承诺，补齐创建台帐。",
            )
        # The default period is one month.
        assert orders["C"].due_on == datetime.date(YEAR, 4, 2)

    # C reports in time and its body verifies the fix.
    with at(3, 25):
        rectification.report(managers["C"], orders["C"], text="已在窗口公示服务承诺，台帐已补齐。")
        done = rectification.verify(body, orders["C"], passed=True, note="现场核查已整改到位。")
        assert done.status == RectificationStatus.PASSED and not done.late

    # April: D let its deadline pass. The nightly run marks it missed and proposes revocation;
    # the city confirms, and the title exits as revoked.
    with at(4, 5):
        rectification.deadlines()
        missed = orders["D"]
        missed.refresh_from_db()
        assert missed.status == RectificationStatus.MISSED
        proposal = D.sanctions.get(status=SanctionStatus.PROPOSED)
        assert proposal.kind == SanctionKind.REVOCATION
        assert proposal.category == RevocationCategory.FAILED_RECTIFICATION
        sanctions.confirm(city, proposal, note="逾期未整改，按规定撤销。")
        D.refresh_from_db()
        assert D.status == TitleStatus.REVOKED
        assert Exit.objects.get(title=D).kind == ExitKind.REVOKED

    # A keeps its creation log in January to June only.
    for month in range(1, 7):
        LogEntry.objects.create(
            collective=A.collective,
            cycle=fc.cycle(year=YEAR + 10 + month),
            kind="meeting",
            title="团员例会",
            occurred_on=datetime.date(YEAR, month, 8),
            evidence_count=1,
        )

    # November: the annual re-review. D is gone; E is exempt with its reason; the computed
    # items read A's log and B's upheld complaint.
    with at(11, 2):
        # Totals: self-report 20 each; computed up to 60 (A logged 6 of 10 months, B has an
        # upheld complaint, nobody held open weeks); the body's 20 decide the rest.
        standard = fo.standard(YEAR, pass_mark=60, warning_mark=50, star_down_mark=40)
        campaign = review.open(
            city,
            year=YEAR,
            standard=standard,
            self_report_due=datetime.date(YEAR, 11, 16),
            assessment_due=datetime.date(YEAR, 11, 30),
        )
        cases = {c.title_id: c for c in campaign.cases.all()}
        assert set(cases) == {A.id, B.id, C.id, E.id}
        assert cases[E.id].status == CaseStatus.EXEMPT and "省级" in cases[E.id].exempt_reason
        items = {i.metric: i for i in standard.items.filter(source=Source.COMPUTED)}
        log_item = items[Metric.CREATION_COMPLIANCE]
        upheld_item = items[Metric.UPHELD_COMPLAINTS]
        a_log = cases[A.id].computed_scores[str(log_item.id)]
        a_points, a_detail = a_log["points"], a_log["detail"]
        # Ten months ended since the award (January–October), six of them logged.
        assert Decimal(a_points) == Decimal(log_item.points) * 6 / 10
        assert "6/10" in a_detail
        b_upheld = Decimal(cases[B.id].computed_scores[str(upheld_item.id)]["points"])
        assert b_upheld < upheld_item.points
        with pytest.raises(DomainError):
            review.decide(city, cases[E.id], outcome=Outcome.WARNING, reason="试图处理")

    def full(case: Any, source: str, share: Decimal) -> dict[int, Decimal]:
        return {
            i.id: (Decimal(i.points) * share).quantize(Decimal("0.01"))
            for i in standard.items.filter(source=source)
        }

    with at(11, 10):
        for name in "ABC":
            c = review.self_report(
                managers[name], cases[titles[name].id], scores=full(None, Source.SELF, Decimal(1))
            )
            cases[titles[name].id] = c
    with at(11, 20):
        # The body scores its own items: A and B nothing (57 and 40: a warning and a star
        # down), C in full (65: a pass).
        for name, share in (("A", Decimal(0)), ("B", Decimal(0)), ("C", Decimal(1))):
            c = review.assess(body, cases[titles[name].id], scores=full(None, Source.BODY, share))
            cases[titles[name].id] = c
        proposed = {n: cases[titles[n].id].proposed_outcome for n in "ABC"}
        assert proposed == {"A": Outcome.WARNING, "B": Outcome.STAR_DOWN, "C": Outcome.PASS}
    with at(11, 28):
        for name in "ABC":
            review.decide(city, cases[titles[name].id], outcome=proposed[name])
        with pytest.raises(DomainError, match="不能重复确认"):
            review.decide(city, cases[A.id], outcome=Outcome.PASS)
        closed = review.close(city, campaign, note="全部个案已确认。")
        assert closed.status == ReviewStatus.CLOSED
        for t in titles.values():
            t.refresh_from_db()
        now = standings(titles.values())
        assert now[A.id].standing == Standing.WARNED
        assert now[B.id].standing == Standing.STARS_REDUCED and B.stars == 1
        assert now[C.id].standing == Standing.GOOD
        assert now[D.id].standing == Standing.REVOKED

    # The next registration (two years on) refuses D and says why and until when.
    with time_machine.travel(
        timezone.make_aware(datetime.datetime(YEAR + 2, 3, 1, 10)), tick=False
    ):
        cycle = fc.cycle(year=YEAR + 2)
        with pytest.raises(DomainError) as refused:
            registrations.registration_file(
                managers["D"], cycle=cycle, collective=D.collective, values=fc.values()
            )
        assert "逾期未整改" in str(refused.value)
        assert "不得报备" in str(refused.value)

    # The public collective pages and the verify page tell the truth.
    page = client.get(reverse("public:collective", args=[D.collective.code]))
    text = page.content.decode()
    assert "已撤销" in text and str(RevocationCategory.FAILED_RECTIFICATION.label) in text
    page = client.get(reverse("public:collective", args=[B.collective.code]))
    assert "已调整星级" in page.content.decode()
    verify = client.get(reverse("public:verify_code", args=[D.collective.code])).content.decode()
    assert "已撤销" in verify and str(RevocationCategory.FAILED_RECTIFICATION.label) in verify
    notice = client.get(reverse("oversight_public:revocations", args=[YEAR])).content.decode()
    assert D.collective.name in notice and A.collective.name not in notice
