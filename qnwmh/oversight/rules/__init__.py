"""Permissions over oversight, one module per part (imported here so they register)."""

from qnwmh.oversight.rules import common, review, sanctions, spotcheck, standard  # noqa: F401
