"""交流活动: back-office pages under /office/exchange/. Fixed paths before those taking a code."""

from django.urls import URLPattern, path

from qnwmh.exchange import views

app_name = "exchange"

E = "<str:code>/"

urlpatterns: list[URLPattern] = [
    path("", views.event_list_view, name="list"),
    path("new/", views.event_new_view, name="new"),
    path(E, views.event_detail_view, name="detail"),
    path(E + "move/<str:to>/", views.event_act_view, name="move"),
    path(E + "cancel/", views.event_cancel_view, name="cancel"),
    path(E + "register/", views.register_view, name="register"),
    path(E + "registrations/<id:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path(E + "attendance/", views.attendance_view, name="attendance"),
    path(E + "minutes/", views.minutes_view, name="minutes"),
    path(E + "appraise/", views.appraise_view, name="appraise"),
]
