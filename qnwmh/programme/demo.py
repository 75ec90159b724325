from qnwmh.core.demo_context import DemoContext
from qnwmh.programme.models import ProgrammeRules


def build(ctx: DemoContext) -> None:
    ProgrammeRules.current()
