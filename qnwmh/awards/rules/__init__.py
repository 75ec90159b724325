"""Permissions over awards, one module per part (imported here so they register)."""

from qnwmh.awards.rules import common, decision, nomination, notice, ranking  # noqa: F401
