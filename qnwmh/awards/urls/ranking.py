"""Awards pages of the ranking part (joined in ``urls/__init__``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
