"""REST endpoints of recognition (``/api/v1/recognition/...``), calling the same selectors and
services as the pages."""

from ninja import Router

router = Router(tags=["recognition"])
