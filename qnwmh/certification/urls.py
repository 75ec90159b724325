"""Certification pages under /office/certification/. Each part keeps its own URL list."""

from qnwmh.certification.urls_applications import urlpatterns as applications
from qnwmh.certification.urls_reviewers import urlpatterns as reviewers
from qnwmh.certification.urls_scoring import urlpatterns as scoring

app_name = "certification"

urlpatterns = [*applications, *reviewers, *scoring]
