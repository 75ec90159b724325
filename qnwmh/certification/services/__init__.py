"""State changes of certification, one module per part (``applications``, ``round``,
``reviewers``, ``assignment``, ``scoring``, ``aggregation``, ``defence``). Callers import the
module they need: ``from qnwmh.certification.services import round``."""
