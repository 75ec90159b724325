"""Dashboards and reports: back-office pages under /office/dashboards/."""

from django.urls import URLPattern

app_name = "dashboards"

urlpatterns: list[URLPattern] = []
