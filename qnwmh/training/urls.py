"""领导轮训: back-office pages under /office/training/."""

from django.urls import URLPattern

app_name = "training"

urlpatterns: list[URLPattern] = []
