"""Demo data for certification: reviewers."""

from __future__ import annotations

from qnwmh.core.demo_context import DemoContext


def build(ctx: DemoContext) -> None:
    """Filled in by this part."""
