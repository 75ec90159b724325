"""REST endpoints for certification (``/api/v1/certification/...``), one router per part,
calling the same selectors and services as the pages. Mounted by the API app as ``router``."""

from ninja import Router

from qnwmh.certification.api.applications import router as applications
from qnwmh.certification.api.reviewers import router as reviewers
from qnwmh.certification.api.scoring import router as scoring

router = Router(tags=["certification"])
router.add_router("", applications)
router.add_router("", reviewers)
router.add_router("", scoring)
