"""Public consultation pages, mounted at the site root before the public site's own URLs."""

from django.urls import URLPattern

app_name = "consultation_public"

urlpatterns: list[URLPattern] = []
