"""联创与结对: back-office pages under /office/partnerships/."""

from django.urls import URLPattern

app_name = "partnerships"

urlpatterns: list[URLPattern] = []
