"""Certification URLs: the round and applications."""

from django.urls import URLPattern, path

from qnwmh.certification.views import applications as views

R = "rounds/<str:code>/"
A = R + "applications/<str:app_code>/"

urlpatterns: list[URLPattern] = [
    path("", views.rounds_view, name="rounds"),
    path(R, views.round_view, name="round"),
    path(R + "edit/", views.round_edit_view, name="round_edit"),
    path(R + "move/", views.round_move_view, name="round_move"),
    path(R + "areas/", views.round_areas_view, name="round_areas"),
    path(R + "applications/", views.applications_view, name="applications"),
    path(R + "applications/export/", views.application_export_view, name="application_export"),
    path(R + "applications/new/", views.application_create_view, name="application_create"),
    path(A, views.application_view, name="application"),
    path(A + "edit/", views.application_edit_view, name="application_edit"),
    path(A + "submit/", views.application_submit_view, name="application_submit"),
    path(A + "recommend/", views.application_recommend_view, name="application_recommend"),
    path(A + "return/", views.application_return_view, name="application_return"),
    path(A + "withdraw/", views.application_withdraw_view, name="application_withdraw"),
]
