"""REST endpoints for certification (``/api/v1/certification/...``), one router per part,
calling the same selectors and services as the pages. The API app mounts each of ``ROUTERS``
at ``/certification`` itself: a router nested in another loses the leading slash of its
prefix in django-ninja's OpenAPI paths (``/api/v1certification/...``)."""

from qnwmh.certification.api.applications import router as applications
from qnwmh.certification.api.reviewers import router as reviewers
from qnwmh.certification.api.scoring import router as scoring

ROUTERS = [applications, reviewers, scoring]
