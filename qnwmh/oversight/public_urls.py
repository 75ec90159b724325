"""Public pages of oversight, mounted at the site root: the year's revocation notice and the
spot-check reproduction page."""

from django.urls import path  # noqa: F401

app_name = "oversight_public"

urlpatterns: list = []
