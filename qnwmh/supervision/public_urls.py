"""Public supervision URLs, mounted at the site root before the public site's own URLs."""

from django.urls import path

from qnwmh.supervision import public_views as views

app_name = "supervision_public"
urlpatterns = [
    path("c/<str:code>/feedback/", views.feedback_view, name="feedback"),
    path("c/<str:code>/rate/", views.rate_view, name="rate"),
    path("track/", views.track_lookup_view, name="track_lookup"),
    path("track/<str:tracking_code>/", views.track_view, name="track"),
    path("track/<str:tracking_code>/feedback/", views.track_feedback_view, name="track_feedback"),
]
