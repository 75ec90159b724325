"""REST endpoints for oversight (``/api/v1/oversight/...``), one router per part, calling the
same selectors and services as the pages."""

from qnwmh.oversight.api.review import router as review
from qnwmh.oversight.api.sanctions import router as sanctions
from qnwmh.oversight.api.spotcheck import router as spotcheck
from qnwmh.oversight.api.standard import router as standard

ROUTERS = [standard, review, spotcheck, sanctions]
