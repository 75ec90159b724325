from django.urls import path

from qnwmh.cycles import views

app_name = "cycles"
C = "<str:code>/"
urlpatterns = [
    path("", views.cycle_list_view, name="list"),
    path("new/", views.cycle_create_view, name="create"),
    path(C, views.cycle_detail_view, name="detail"),
    path(C + "edit/", views.cycle_edit_view, name="edit"),
    path(C + "phase/", views.cycle_move_view, name="move"),
    path(C + "quotas/", views.quota_list_view, name="quotas"),
    path(C + "quotas/compute/", views.quota_compute_view, name="quota_compute"),
    path(C + "quotas/publish/", views.quota_publish_view, name="quota_publish"),
    path(C + "quotas/export/", views.quota_export_view, name="quota_export"),
    path(C + "quotas/<id:quota_id>/override/", views.quota_override_view, name="quota_override"),
    path(C + "quotas/<id:quota_id>/headcount/", views.quota_headcount_view, name="quota_headcount"),
    path(C + "registrations/", views.registration_list_view, name="registrations"),
    path(C + "registrations/export/", views.registration_export_view, name="registration_export"),
    path(C + "registrations/new/", views.registration_create_view, name="registration_create"),
    path(
        C + "registrations/<str:reg_code>/",
        views.registration_detail_view,
        name="registration_detail",
    ),
    path(
        C + "registrations/<str:reg_code>/edit/",
        views.registration_edit_view,
        name="registration_edit",
    ),
    path(
        C + "registrations/<str:reg_code>/review/",
        views.registration_review_view,
        name="registration_review",
    ),
    path(
        C + "registrations/<str:reg_code>/special/",
        views.registration_special_view,
        name="registration_special",
    ),
    path(
        C + "registrations/<str:reg_code>/withdraw/",
        views.registration_withdraw_view,
        name="registration_withdraw",
    ),
    path(C + "submissions/", views.submission_list_view, name="submissions"),
    path(
        C + "submissions/<id:body_id>/submit/",
        views.submission_submit_view,
        name="submission_submit",
    ),
    path(C + "submissions/<id:body_id>/rank/", views.submission_rank_view, name="submission_rank"),
    path(
        C + "submissions/<id:body_id>/decide/",
        views.submission_decide_view,
        name="submission_decide",
    ),
    path(C + "towns/", views.town_view_view, name="towns"),
]
