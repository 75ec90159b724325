"""Builders for certification: a round in review, applications, reviewers and assignments.

Each part's tests build what they need here instead of through another part's services."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from qnwmh.accounts.models import User
from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    Assignment,
    CertificationRound,
    ReviewArea,
    Reviewer,
    RoundStatus,
)
from qnwmh.collectives.models import Collective
from qnwmh.core.actor import Role
from qnwmh.cycles.models import Cycle, Phase, RegistrationStatus
from qnwmh.orgs.models import Organisation, Town
from tests import factories as f
from tests import factories_cycles as fc

_seq = itertools.count(1)


def certification_cycle(**over: Any) -> Cycle:
    """A cycle in its certification phase."""
    return fc.cycle(phase=Phase.CERTIFICATION, **over)


def cert_round(c: Cycle | None = None, status: str = RoundStatus.REVIEW) -> CertificationRound:
    """A round whose every window contains today."""
    c = c or certification_cycle()
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=20)
    return CertificationRound.objects.create(
        cycle=c,
        status=status,
        applications_open_on=start,
        applications_close_on=end,
        test_opens_on=start,
        test_closes_on=end,
        site_from=start,
        site_to=end,
        defence_from=start,
        defence_to=end,
        scoring_closes_on=end,
    )


def area(towns: list[Town] | None = None, name: str | None = None) -> ReviewArea:
    a = ReviewArea.objects.create(name=name or f"片区{next(_seq)}")
    if towns:
        a.towns.set(towns)
    return a


def application(
    r: CertificationRound,
    collective: Collective,
    status: str = ApplicationStatus.SUBMITTED,
    area_: ReviewArea | None = None,
    **over: Any,
) -> Application:
    """An application on an accepted registration of ``collective`` in the round's cycle."""
    reg = fc.registration(r.cycle, collective, status=RegistrationStatus.FILED)
    return Application.objects.create(
        round=r,
        registration=reg,
        collective=collective,
        body=collective.body,
        town=collective.town,
        area=area_,
        status=status,
        submitted_at=timezone.now() if status != ApplicationStatus.DRAFT else None,
        **over,
    )


def reviewer(
    *,
    user: User | None = None,
    areas: list[ReviewArea] | None = None,
    body: Organisation | None = None,
    employer: str | None = None,
) -> Reviewer:
    """A reviewer in the pool; a user already in it (the world's reviewer, set up by several
    parts' pages in one test) keeps its profile and serves the given areas too."""
    user = user or f.user(f"reviewer{next(_seq)}", Role.REVIEWER)
    rv, _created = Reviewer.objects.get_or_create(
        user=user,
        defaults={
            "expertise": "公共服务",
            "employer": employer or f"单位{next(_seq)}",
            "body": body,
        },
    )
    if areas:
        rv.areas.add(*areas)
    return rv


def assignment(app: Application, rv: Reviewer, status: str = "accepted") -> Assignment:
    return Assignment.objects.create(
        application=app,
        reviewer=rv,
        status=status,
        due_on=app.round.scoring_closes_on,
    )
