from qnwmh.core.demo_context import DemoContext
from qnwmh.programme.models import ProgrammeRules

ORDER = 20


def build(ctx: DemoContext) -> None:
    ProgrammeRules.current()
