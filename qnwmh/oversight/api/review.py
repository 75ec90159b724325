"""API of the review part."""

from ninja import Router

router = Router(tags=["oversight"])
