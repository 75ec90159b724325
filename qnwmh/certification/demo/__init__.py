"""Demo data: a certification round in progress (applications in every state, reviewers with
assignments, some scores submitted). Each part builds on the one before."""

from __future__ import annotations

from qnwmh.certification.demo import applications, reviewers, scoring, testing
from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    applications.build(ctx)
    testing.build(ctx)
    reviewers.build(ctx)
    scoring.build(ctx)
