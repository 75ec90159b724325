"""REST endpoints of exchange (``/api/v1/exchange/...``), calling the same selectors and
services as the pages."""

from ninja import Router

router = Router(tags=["exchange"])
