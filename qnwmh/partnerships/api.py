"""REST endpoints of partnerships (``/api/v1/partnerships/...``), calling the same selectors and
services as the pages."""

from ninja import Router

router = Router(tags=["partnerships"])
