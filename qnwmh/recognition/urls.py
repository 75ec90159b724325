"""表彰与典型: back-office pages under /office/recognition/."""

from django.urls import URLPattern

app_name = "recognition"

urlpatterns: list[URLPattern] = []
