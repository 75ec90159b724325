"""Oversight pages under /office/oversight/. Each part keeps its own URL list."""

from qnwmh.oversight.urls.review import urlpatterns as review
from qnwmh.oversight.urls.sanctions import urlpatterns as sanctions
from qnwmh.oversight.urls.spotcheck import urlpatterns as spotcheck
from qnwmh.oversight.urls.standard import urlpatterns as standard

app_name = "oversight"

urlpatterns = [*standard, *review, *spotcheck, *sanctions]
