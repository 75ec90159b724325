"""REST endpoints for awards (``/api/v1/awards/...``), one router per part, calling the same
selectors and services as the pages. The API app mounts each of ``ROUTERS`` at ``/awards``."""

ROUTERS: list = []
