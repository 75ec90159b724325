"""Awards API: the ranking part (``/api/v1/awards/...``)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["awards"])
