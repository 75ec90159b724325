"""联创与结对: back-office pages under /office/partnerships/. Fixed paths come before the
ones taking a code."""

from django.urls import URLPattern, path

from qnwmh.partnerships import views as v

app_name = "partnerships"

J = "joints/<str:code>/"
P = "pairs/<str:code>/"

urlpatterns: list[URLPattern] = [
    path("joints/", v.joints_view, name="joints"),
    path("joints/new/", v.joint_propose_view, name="joint_propose"),
    path(J, v.joint_view, name="joint"),
    path(J + "confirm/", v.joint_confirm_view, name="joint_confirm"),
    path(J + "return/", v.joint_return_view, name="joint_return"),
    path(J + "milestones/<id:number>/", v.milestone_done_view, name="milestone_done"),
    path(J + "close/", v.joint_close_view, name="joint_close"),
    path("pairs/", v.pairs_view, name="pairs"),
    path("pairs/new/", v.pair_propose_view, name="pair_propose"),
    path(P, v.pair_view, name="pair"),
    path(P + "confirm/", v.pair_confirm_view, name="pair_confirm"),
    path(P + "return/", v.pair_return_view, name="pair_return"),
    path(P + "activities/", v.activity_record_view, name="activity_record"),
    path(P + "close/", v.pair_close_view, name="pair_close"),
]
