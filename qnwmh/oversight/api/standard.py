"""API of the standard part."""

from ninja import Router

router = Router(tags=["oversight"])
