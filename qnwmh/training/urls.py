"""领导轮训: back-office pages under /office/training/."""

from django.urls import path

from qnwmh.training import views

app_name = "training"

urlpatterns = [
    path("", views.sessions_view, name="sessions"),
    path("new/", views.session_create_view, name="session_create"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("checkin/<str:token>/", views.checkin_view, name="checkin"),
    path("<str:code>/", views.session_view, name="session"),
    path("<str:code>/remind/", views.remind_view, name="remind"),
    path("<str:code>/invite/", views.invite_more_view, name="invite"),
    path("<str:code>/cancel/", views.cancel_view, name="cancel"),
    path(
        "<str:code>/invitations/<id:invitation_id>/certificate.pdf",
        views.certificate_view,
        name="certificate",
    ),
]
