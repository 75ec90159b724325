from qnwmh.core.demo import DemoContext
from qnwmh.programme.models import ProgrammeRules

ORDER = 20


def build(ctx: DemoContext) -> None:
    ProgrammeRules.current()
