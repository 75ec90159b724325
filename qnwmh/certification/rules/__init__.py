"""Permissions over certification, one module per part (imported here so they register)."""

from qnwmh.certification.rules import applications, reviewers, scoring  # noqa: F401
