"""Awards pages of the notice part (joined in ``urls/__init__``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
