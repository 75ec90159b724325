"""Permissions over certification: applications."""

from __future__ import annotations
