"""REST endpoints of consultation (``/api/v1/consultation/...``), calling the same selectors and
services as the pages."""

from ninja import Router

router = Router(tags=["consultation"])
