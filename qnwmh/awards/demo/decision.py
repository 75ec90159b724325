"""Demo data of the decision: the finished earlier cycle's shortlist decided through the
service (titles, certificates), and a certificate for every other active city title — the titles
from before the platform, which no decision created — so every certificate number verifies."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Max

from qnwmh.access.actor import actor_for
from qnwmh.awards.models import Certificate, PublicNotice, Shortlist
from qnwmh.awards.selectors.decision import audit_rows, caps_view
from qnwmh.awards.services import certificates, decision
from qnwmh.collectives.models import Level, Title
from qnwmh.core.actor import Actor
from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    city = actor_for(ctx.users["city_admin"], "127.0.0.1")
    shortlist = ctx.extra.get("awards_shortlist")
    if shortlist is not None:
        decide_shortlist(ctx, city, shortlist)
    certify_other_titles(city)


def decide_shortlist(ctx: DemoContext, city: Actor, shortlist: Shortlist) -> None:
    """Every entry of the final list, within each body's free places, a few days after the
    last notice ended."""
    free = {row.body.pk: row.free for row in caps_view(shortlist).bodies}
    chosen: list[int] = []
    taken: dict[int, int] = defaultdict(int)
    for row in audit_rows(shortlist):
        body_id = row.entry.body_id
        if row.ready and taken[body_id] < free.get(body_id, 0):
            chosen.append(row.entry.pk)
            taken[body_id] += 1
    if not chosen:
        return
    ended = PublicNotice.objects.filter(shortlist=shortlist).aggregate(last=Max("closes_on"))
    on = min((ended["last"] or ctx.today) + datetime.timedelta(days=5), ctx.today)
    done = decision.decide(
        city,
        shortlist,
        chosen,
        document_no=f"中青联〔{on.year}〕{shortlist.round.cycle.session_no}号",
        decided_on=on,
        audit_note="经考察、公示，无异议或异议不属实，同意认定。",
    )
    ctx.extra["awards_decision"] = done.decision


def certify_other_titles(city: Actor) -> None:
    without = (
        Title.objects.active()
        .filter(level=Level.CITY)
        .exclude(pk__in=Certificate.objects.filter(superseded_at__isnull=True).values("title_id"))
    )
    for title in without.select_related("collective").order_by("awarded_on", "id"):
        certificates.issue_for_title(city, title=title, on=title.awarded_on)
