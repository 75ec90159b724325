"""Permissions over certification: scoring."""

from __future__ import annotations
