"""Demo data: a finished earlier cycle taken from scores to titles (shortlist, inspections, an
ended notice with objections, the decision, certificates, nominations), and league support
for the round in progress so its live ranking has something to weigh. Each part builds on the
one before (``ctx.extra["awards_shortlist"]``)."""

from __future__ import annotations

from qnwmh.awards.demo import decision, nomination, notice, ranking
from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    ranking.build(ctx)
    notice.build(ctx)
    decision.build(ctx)
    nomination.build(ctx)
