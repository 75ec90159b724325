"""征求意见: back-office pages under /office/consultation/."""

from django.urls import URLPattern

app_name = "consultation"

urlpatterns: list[URLPattern] = []
