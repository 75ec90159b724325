"""Awards pages of the decision part (joined in ``urls/__init__``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
