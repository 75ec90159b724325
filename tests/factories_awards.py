"""Builders for awards: a scored round whose scoring has closed, and a frozen shortlist built
straight from it (listed up to each body's cap, the rest in reserve), a notice and a
decision — so each part's tests start from the step before without another part's services.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qnwmh.accounts.models import User
from qnwmh.awards.caps import caps_for
from qnwmh.awards.models import (
    Decision,
    EntryStatus,
    NoticeItem,
    PublicNotice,
    Shortlist,
    ShortlistEntry,
)
from qnwmh.certification.models import (
    Application,
    ApplicationResult,
    ApplicationStatus,
    CertificationRound,
    RoundStatus,
)
from qnwmh.core.actor import Role
from qnwmh.orgs.models import Organisation
from tests import factories as f
from tests import factories_certification as fcert
from tests import factories_cycles as fc

_seq = itertools.count(1)


def city_user() -> User:
    return f.user(f"city_awards{next(_seq)}", Role.CITY_ADMIN, organisation=f.city())


def scored_round(
    bodies: list[Organisation] | None = None,
    *,
    per_body: int = 4,
    quota: int = 10,
    status: str = RoundStatus.CLOSED,
) -> tuple[CertificationRound, list[Application]]:
    """A round (scoring closed by default) where each body has ``per_body`` recommended
    applications with combined scores 90, 85, 80, … (the first best), and a quota of
    ``quota``. The 2:1 cap of each body is then ``min(quota, per_body // 2)``."""
    bodies = bodies or [f.body(), f.body()]
    r = fcert.cert_round(status=status)
    apps: list[Application] = []
    for body in bodies:
        fc.quota(r.cycle, body, quota)
        for i in range(per_body):
            c = f.collective(body, name=f"{body.name}集体{i + 1}号{next(_seq)}")
            app = fcert.application(r, c, status=ApplicationStatus.RECOMMENDED, body_rank=i + 1)
            score = Decimal(90 - 5 * i)
            ApplicationResult.objects.create(
                application=app,
                site_score=score,
                defence_score=score,
                combined=score,
                method="mean",
                site_sheets=3,
                defence_sheets=3,
            )
            apps.append(app)
    return r, apps


def shortlist(
    r: CertificationRound, *, frozen_by: User | None = None, listed: int | None = None
) -> Shortlist:
    """The round's recommended applications ranked by combined score per body: the first
    ``listed`` of each body (default: the body's cap) listed, the others in reserve."""
    caps = caps_for(r.cycle)
    s = Shortlist.objects.create(
        round=r,
        parameters={
            "league_support_weight_pct": 0,
            "appraisal_weight_pct": 0,
            "area_normalisation": "none",
            "tie_break": "test,defence",
        },
        caps=caps.as_json(),
        frozen_by=frozen_by or city_user(),
    )
    apps = (
        Application.objects.filter(round=r, status=ApplicationStatus.RECOMMENDED)
        .select_related("result")
        .order_by("-result__combined", "id")
    )
    city_pos = itertools.count(1)
    body_pos: dict[int, int] = {}
    for app in apps:
        pos = body_pos[app.body_id] = body_pos.get(app.body_id, 0) + 1
        limit = caps.body_cap(app.body_id) if listed is None else listed
        ShortlistEntry.objects.create(
            shortlist=s,
            application=app,
            collective=app.collective,
            body=app.body,
            town=app.town,
            status=EntryStatus.LISTED if pos <= limit else EntryStatus.RESERVE,
            final_score=app.result.combined,
            body_position=pos,
            city_position=next(city_pos),
            inputs={"combined": str(app.result.combined), "test_passed": True},
            special_recommendation=app.special_recommendation,
        )
    return s


def notice(
    s: Shortlist,
    *,
    opens_on: datetime.date | None = None,
    days: int = 7,
    by: User | None = None,
    **over: Any,
) -> PublicNotice:
    """A notice of the shortlist's listed entries, open today unless dates are given."""
    opens_on = opens_on or timezone.localdate() - datetime.timedelta(days=1)
    n = PublicNotice.objects.create(
        shortlist=s,
        heading=over.pop("heading", f"青年文明号拟认定名单公示{next(_seq)}"),
        intro=over.pop("intro", "现将拟认定名单予以公示，公示期内如有异议请实名反映。"),
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=days - 1),
        contact=over.pop("contact", "团市委青年发展部 0760-88318315"),
        published_by=by or s.frozen_by,
        **over,
    )
    for i, entry in enumerate(
        s.entries.filter(status=EntryStatus.LISTED).order_by("city_position"), start=1
    ):
        NoticeItem.objects.create(
            notice=n, entry=entry, position=i, summary=f"{entry.collective}的创建事迹简介。"
        )
    return n


def ended_notice(s: Shortlist, **over: Any) -> PublicNotice:
    today = timezone.localdate()
    return notice(s, opens_on=today - datetime.timedelta(days=10), days=7, **over)


def decision(s: Shortlist, *, by: User | None = None, **over: Any) -> Decision:
    """A decision record only (no titles): for tests of what reads decisions."""
    return Decision.objects.create(
        shortlist=s,
        document_no=over.pop("document_no", f"中青联〔2026〕{next(_seq)}号"),
        decided_on=over.pop("decided_on", timezone.localdate()),
        decided_by=by or s.frozen_by,
        **over,
    )
