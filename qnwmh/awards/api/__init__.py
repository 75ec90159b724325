"""REST endpoints for awards (``/api/v1/awards/...``), one router per part, calling the same
selectors and services as the pages. The API app mounts each of ``ROUTERS`` at ``/awards``
itself (a nested router loses its prefix's leading slash in the OpenAPI paths)."""

from qnwmh.awards.api.decision import router as decision
from qnwmh.awards.api.nomination import router as nomination
from qnwmh.awards.api.notice import router as notice
from qnwmh.awards.api.ranking import router as ranking

ROUTERS = [ranking, notice, decision, nomination]
