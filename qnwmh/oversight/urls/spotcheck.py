"""Pages of the spotcheck part."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
