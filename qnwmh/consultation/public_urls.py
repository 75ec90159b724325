"""Public consultation pages, mounted at the site root before the public site's own URLs."""

from django.urls import URLPattern, path

from qnwmh.consultation import public_views as views

app_name = "consultation_public"

urlpatterns: list[URLPattern] = [
    path("consultations/", views.list_view, name="list"),
    path("consultations/<str:code>/", views.detail_view, name="detail"),
    path("consultations/<str:code>/comment/", views.comment_view, name="comment"),
]
