"""REST endpoints for the knowledge test (``/api/v1/knowledge/...``)."""

from ninja import Router

router = Router(tags=["knowledge"])
