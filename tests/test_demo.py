from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from qnwmh.access.models import RoleAssignment
from qnwmh.accounts.models import User
from qnwmh.collectives.models import Collective, Eligibility, Member, Title
from qnwmh.core.demo_context import DEMO_ACCOUNTS
from qnwmh.cycles.models import Cycle, Phase, RegistrationStatus
from qnwmh.cycles.selectors import town_view
from qnwmh.demo.management.commands.load_demo import steps
from qnwmh.orgs.models import Organisation, Town
from tests.conftest import module_transaction


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    # The demo is loaded once for this module; each test rolls back to it.
    with module_transaction(django_db_blocker):
        call_command("load_demo", stdout=StringIO())
        yield


@pytest.fixture
def demo(_demo_loaded, db):
    return None


def test_the_demo_steps_run_in_installed_apps_order():
    apps = [step.app for step in steps()]
    assert apps == sorted(apps, key=settings.INSTALLED_APPS.index)
    assert apps == [
        "qnwmh.accounts",
        "qnwmh.orgs",
        "qnwmh.programme",
        "qnwmh.collectives",
        "qnwmh.access",
        "qnwmh.knowledge",
        "qnwmh.cycles",
        "qnwmh.creation",
        "qnwmh.supervision",
        "qnwmh.certification",
        "qnwmh.awards",
        "qnwmh.training",
        "qnwmh.oversight",
        "qnwmh.exchange",
        "qnwmh.partnerships",
        "qnwmh.consultation",
        "qnwmh.recognition",
    ]


def test_the_demo_is_a_realistic_zhongshan_programme(demo):
    assert Town.objects.count() == 23
    assert Organisation.objects.filter(body_kind="territorial").count() == 23
    assert Organisation.objects.filter(body_kind="industry").count() >= 10
    assert 250 <= Collective.objects.count() <= 350
    assert Member.objects.count() > 20 * Collective.objects.count() // 2
    assert Collective.objects.filter(eligibility=Eligibility.NOT_MET).count() >= 5
    assert Collective.objects.filter(ownership="non_public").count() >= 23
    levels = set(Title.objects.values_list("level", flat=True))
    assert {"city", "provincial", "national"} <= levels
    assert (
        Title.objects.filter(status="revoked").exists()
        and Title.objects.filter(status="expired").exists()
    )


def test_every_demo_account_exists_with_its_role(demo):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password("Hongqi-Demo-2026")
        assert RoleAssignment.objects.filter(user=user, role=account.role).exists()


def test_demo_accounts_json(demo):
    out = StringIO()
    call_command("demo_accounts", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {r["role"] for r in rows} >= {
        "city_admin",
        "body_admin",
        "collective_manager",
        "reviewer",
    }
    assert all(set(r) == {"username", "password", "role", "organisation"} for r in rows)


def test_loading_twice_is_refused_or_skipped(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "nothing loaded" in out.getvalue()


def test_demo_cycle(demo: Any) -> None:
    """The demo holds an open cycle in its registration phase with published quotas,
    registrations in every state, the previous cycle in its certification phase (its round
    in progress) and a town with no non-public collective."""
    cycle = Cycle.objects.get(phase=Phase.REGISTRATION_OPEN)
    today = timezone.localdate()
    assert cycle.registration_opens_on <= today <= cycle.registration_closes_on
    assert cycle.quotas_published_at and cycle.rules_snapshot and cycle.quotas.exists()
    states = set(cycle.registrations.values_list("status", flat=True))
    assert states == set(RegistrationStatus.values)
    assert Cycle.objects.filter(phase=Phase.CERTIFICATION, session_no=cycle.session_no - 1).exists()
    rows = town_view(cycle)
    assert any(not r.meets for r in rows) and any(r.meets for r in rows)
    assert any(r.change is not None and r.change < 0 for r in rows)
    for quota in cycle.quotas.all():
        used = cycle.registrations.filter(body=quota.body, status__in=["accepted", "filed"]).count()
        assert used <= quota.final


def test_demo_certification_round(demo: Any) -> None:
    """The previous cycle's round is in review with applications in every state; the demo
    manager's application was recommended through the services (its history shows it)."""
    from qnwmh.audit.selectors import history_of
    from qnwmh.certification.models import Application, ApplicationStatus, CertificationRound

    r = CertificationRound.objects.get(cycle__phase=Phase.CERTIFICATION)
    assert r.status == "review" and r.exam is not None
    states = set(r.applications.values_list("status", flat=True))
    assert states == set(ApplicationStatus.values)
    own = Application.objects.get(collective__name="石岐街道便民服务中心青年服务窗口")
    assert own.status == ApplicationStatus.RECOMMENDED and own.body_rank == 1
    assert [e.code for e in history_of(own)][-1] == "certification.application.recommended"
    ranks = r.applications.filter(status=ApplicationStatus.RECOMMENDED).values_list(
        "body_id", "body_rank"
    )
    assert len(set(ranks)) == len(ranks)


def test_demo_certification_reviews_scores_and_test_bank(demo: Any) -> None:
    """The whole round is there to look at: the bank, reviewers with assignments (the demo
    reviewer among them), sheets submitted and the round's results."""
    from qnwmh.certification.models import (
        ApplicationResult,
        Assignment,
        ScoreSheet,
        SheetStatus,
    )
    from qnwmh.knowledge.models import Attempt, Question

    assert Question.objects.filter(active=True).count() >= 40
    assert Attempt.objects.filter(passed=True).exists()
    assert Assignment.objects.filter(reviewer__user__username="reviewer_demo").exists()
    assert ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED).count() >= 10
    assert ScoreSheet.objects.filter(status=SheetStatus.REOPENED).exists()
    assert ApplicationResult.objects.filter(combined__isnull=False).exists()


def test_demo_awards_one_finished_cycle_and_one_in_progress(demo: Any) -> None:
    """The earlier cycle went from scores to titles (an upheld objection, a failed
    inspection, a decision, certificates for every active title, nominations); the round in
    progress has league support so its live ranking weighs something."""
    from qnwmh.awards.models import (
        Certificate,
        Decision,
        EntryStatus,
        LeagueSupport,
        Nomination,
        NominationStatus,
        Objection,
        ObjectionOutcome,
        RemovalKind,
        ShortlistEntry,
    )
    from qnwmh.certification.models import CertificationRound, RoundStatus

    decision = Decision.objects.get()
    finished = decision.shortlist.round.cycle
    assert finished.phase == Phase.CLOSED
    decided = ShortlistEntry.objects.filter(decision=decision, status=EntryStatus.DECIDED)
    assert decided.count() >= 10
    # New titles carry the finished cycle's 届次; a title held from before gained a star.
    assert all(e.title_id for e in decided)
    assert any(e.title.session_no == finished.session_no for e in decided)
    removed = set(
        ShortlistEntry.objects.filter(status=EntryStatus.REMOVED).values_list(
            "removal_kind", flat=True
        )
    )
    assert {RemovalKind.INSPECTION, RemovalKind.OBJECTION} <= removed
    assert set(Objection.objects.values_list("outcome", flat=True)) >= {
        ObjectionOutcome.UPHELD,
        ObjectionOutcome.NOT_UPHELD,
    }
    # Every city title in force has its current certificate (higher levels print their own;
    # a title oversight revoked keeps its certificate, which verifies as revoked).
    city_titles = Title.objects.active().filter(level="city")
    current = Certificate.objects.filter(superseded_at__isnull=True, title__in=city_titles)
    assert current.count() == city_titles.count()
    assert set(Nomination.objects.values_list("status", flat=True)) >= {
        NominationStatus.GRANTED,
        NominationStatus.NOT_GRANTED,
        NominationStatus.NOMINATED,
    }
    current = CertificationRound.objects.exclude(cycle=finished).get()
    assert current.status == RoundStatus.REVIEW
    assert LeagueSupport.objects.filter(application__round=current).exists()


def test_demo_oversight_standards(demo: Any) -> None:
    from django.utils import timezone

    from qnwmh.oversight.models import Standard

    year = timezone.localdate().year
    last = Standard.objects.filter(year=year - 1).order_by("-version").first()
    this = Standard.objects.filter(year=year).order_by("-version").first()
    draft = Standard.objects.filter(year=year + 1).order_by("-version").first()
    assert last is not None and this is not None and draft is not None
    assert this.pass_mark == 85 and this.items.count() == last.items.count() + 1
    # The two years' campaigns froze their standards; next year's is still being drafted.
    assert last.frozen and this.frozen and not draft.frozen
    assert draft.items.count() == this.items.count()


def test_demo_oversight_review(demo: Any) -> None:
    """Last year's re-review closed with every outcome; this year's in progress."""
    from qnwmh.oversight.models import AnnualReview, CaseStatus, Exit, Outcome, ReviewStatus

    year = timezone.localdate().year
    last = AnnualReview.objects.get(year=year - 1)
    assert last.status == ReviewStatus.CLOSED
    assert set(Outcome.values) <= set(last.cases.values_list("outcome", flat=True))
    # What last year's campaign did is dated last year: its exit is not on this year's notice.
    assert last.closed_at is not None and last.closed_at.year == year - 1
    exits = Exit.objects.filter(case__review=last)
    assert exits.exists() and {e.on.year for e in exits} == {year - 1}
    assert {e.title.ended_on for e in exits} == {e.on for e in exits}
    current = AnnualReview.objects.get(year=year)
    statuses = set(current.cases.values_list("status", flat=True))
    assert {CaseStatus.ASSESSED, CaseStatus.SELF_REPORTED, CaseStatus.AWAITING_SELF} <= statuses


def test_demo_exchange(demo: Any) -> None:
    """An exhibition held with attendance and photos, in the attending collectives' logs; a
    meeting open for registration; a mutual visit closed with both appraisals."""
    from qnwmh.creation.models import LogEntry
    from qnwmh.exchange.models import Event, EventKind, EventStatus

    held = Event.objects.get(kind=EventKind.EXHIBITION, status=EventStatus.CLOSED)
    attended = held.registrations.filter(attended=True).count()
    assert attended and held.registrations.filter(attended=False).exists()
    assert held.photos.exists() and held.minutes
    assert LogEntry.objects.filter(origin=f"exchange.event:{held.code}").count() == attended
    assert Event.objects.filter(kind=EventKind.MEETING, status=EventStatus.OPEN).exists()
    visit = Event.objects.get(kind=EventKind.MUTUAL_VISIT)
    assert visit.status == EventStatus.CLOSED and visit.appraisals.count() == 2


def test_demo_collective_counts_are_kept(demo: Any) -> None:
    """The demo bulk-creates its collectives and ends with the rebuild: the kept counts equal
    a recount, and the city's home total is its list's count of active collectives."""
    from django.db.models import Count

    from qnwmh.collectives import counts
    from qnwmh.collectives.models import CollectiveCount, CollectiveStatus

    kept = {(r.body_id, r.status, r.eligibility): r.n for r in CollectiveCount.objects.all()}
    recounted = Collective.objects.order_by().values(*counts.GROUP).annotate(n=Count("id"))
    assert kept == {tuple(g[k] for k in counts.GROUP): g["n"] for g in recounted}
    active = Collective.objects.filter(status=CollectiveStatus.ACTIVE).count()
    assert sum(counts.per_eligibility(None).values()) == active > 0
