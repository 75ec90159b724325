"""REST endpoints of training (``/api/v1/training/...``), calling the same selectors and
services as the pages."""

from ninja import Router

router = Router(tags=["training"])
