"""Permissions over certification: reviewers."""

from __future__ import annotations
