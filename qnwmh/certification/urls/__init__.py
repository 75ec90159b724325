"""Certification pages under /office/certification/. Each part keeps its own URL list."""

from qnwmh.certification.urls.applications import urlpatterns as applications
from qnwmh.certification.urls.reviewers import urlpatterns as reviewers
from qnwmh.certification.urls.scoring import urlpatterns as scoring

app_name = "certification"

urlpatterns = [*applications, *reviewers, *scoring]
