"""Permissions over the question bank, exams and attempts."""

from __future__ import annotations
