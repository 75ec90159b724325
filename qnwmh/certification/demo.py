"""Demo data: a certification round in progress (applications in every state, reviewers with
assignments, some scores submitted). Each part builds on the one before."""

from __future__ import annotations

from qnwmh.certification import demo_applications, demo_reviewers, demo_scoring, demo_testing
from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    demo_applications.build(ctx)
    demo_testing.build(ctx)
    demo_reviewers.build(ctx)
    demo_scoring.build(ctx)
