"""Certification API: reviewers."""

from ninja import Router

router = Router(tags=["certification"])
