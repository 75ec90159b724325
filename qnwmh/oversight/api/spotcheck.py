"""API of the spotcheck part."""

from ninja import Router

router = Router(tags=["oversight"])
