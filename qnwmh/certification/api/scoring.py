"""Certification API: scoring."""

from ninja import Router

router = Router(tags=["certification"])
