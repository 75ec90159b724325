"""API of the sanctions part."""

from ninja import Router

router = Router(tags=["oversight"])
