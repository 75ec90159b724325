"""Certification URLs: reviewers (city staff's pool, areas, panels and assignment; the
reviewer's workspace under ``review/``)."""

from django.urls import URLPattern, path

from qnwmh.certification.views import reviewers as staff
from qnwmh.certification.views import workspace as workspace

urlpatterns: list[URLPattern] = [
    path("areas/", staff.area_list_view, name="areas"),
    path("areas/<str:code>/", staff.area_edit_view, name="area_edit"),
    path("reviewers/", staff.reviewer_list_view, name="reviewers"),
    path("reviewers/new/", staff.reviewer_create_view, name="reviewer_create"),
    path("reviewers/<str:code>/", staff.reviewer_edit_view, name="reviewer_edit"),
    path("conflicts/", staff.conflict_list_view, name="conflicts"),
    path("rounds/<str:code>/panels/", staff.panels_view, name="panels"),
    path("rounds/<str:code>/panels/<str:area>/", staff.panel_edit_view, name="panel_edit"),
    path("rounds/<str:code>/draw/", staff.draw_view, name="draw"),
    path("rounds/<str:code>/assignments/", staff.assignments_view, name="assignments"),
    path("rounds/<str:code>/applications/<str:app>/assign/", staff.assign_view, name="assign"),
    path("assignments/<str:code>/cancel/", staff.assignment_cancel_view, name="assignment_cancel"),
    path("review/", workspace.review_home_view, name="review_home"),
    path("review/<str:code>/accept/", workspace.accept_view, name="assignment_accept"),
    path("review/<str:code>/decline/", workspace.decline_view, name="assignment_decline"),
    path("review/applications/<str:code>/", workspace.dossier_view, name="dossier"),
    path(
        "review/applications/<str:code>/conflict/",
        workspace.declare_conflict_view,
        name="declare_conflict",
    ),
    path(
        "review/applications/<str:code>/files/<str:file>/",
        workspace.dossier_file_view,
        name="dossier_file",
    ),
]
