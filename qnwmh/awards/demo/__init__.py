"""Demo data: a finished earlier cycle taken from scores to titles (shortlist, inspections, an
ended notice with objections, the decision, certificates, nominations), and the ranking of the
round in progress. Each part builds on the one before."""

from __future__ import annotations

from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    pass
