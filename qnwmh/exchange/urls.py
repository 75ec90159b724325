"""交流活动: back-office pages under /office/exchange/."""

from django.urls import URLPattern

app_name = "exchange"

urlpatterns: list[URLPattern] = []
