"""Knowledge-test pages under /office/knowledge/."""

from django.urls import URLPattern

app_name = "knowledge"

urlpatterns: list[URLPattern] = []
