"""Public awards pages (notices, objections), mounted at the site root before the public
site's own URLs."""

from django.urls import URLPattern

app_name = "awards_public"

urlpatterns: list[URLPattern] = []
