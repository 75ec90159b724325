"""Awards pages of the notice part (joined in ``urls/__init__``): inspections, notices and
objections."""

from django.urls import URLPattern, path

from qnwmh.awards.views import notice as views

S = "shortlists/<str:code>/"
E = S + "inspections/<id:entry_id>/"

urlpatterns: list[URLPattern] = [
    path("notices/", views.notices_view, name="notices"),
    path("notices/<str:code>/", views.notice_view, name="notice"),
    path(S + "notices/new/", views.notice_publish_view, name="notice_publish"),
    path(S + "inspections/", views.inspections_view, name="inspections"),
    path(E, views.inspection_view, name="inspection"),
    path(E + "record/", views.inspection_record_view, name="inspection_record"),
    path("objections/", views.objections_view, name="objections"),
    path("objections/<id:pk>/", views.objection_view, name="objection"),
    path("objections/<id:pk>/assign/", views.objection_assign_view, name="objection_assign"),
    path("objections/<id:pk>/decide/", views.objection_decide_view, name="objection_decide"),
]
