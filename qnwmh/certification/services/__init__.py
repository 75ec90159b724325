"""State changes of certification, one module per part (``applications``, ``round``, …).
Callers import the module they need: ``from qnwmh.certification.services import round``."""
