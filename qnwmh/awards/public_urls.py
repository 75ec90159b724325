"""Public awards pages (notices, objections), mounted at the site root before the public
site's own URLs."""

from django.urls import URLPattern, path

from qnwmh.awards.views import notice_public as views

app_name = "awards_public"

urlpatterns: list[URLPattern] = [
    path("notices/", views.notices_view, name="notices"),
    path("notices/<str:code>/", views.notice_view, name="notice"),
    path("notices/<str:code>/<id:position>/objection/", views.objection_view, name="objection"),
    path("objections/", views.track_lookup_view, name="track_lookup"),
    path("objections/<str:tracking_code>/", views.track_view, name="track"),
]
