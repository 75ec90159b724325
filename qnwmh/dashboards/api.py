"""The dashboard figures as JSON (``/api/v1/dashboards/...``), for the same scope as the pages."""

from ninja import Router

router = Router(tags=["dashboards"])
