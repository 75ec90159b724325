"""Pages of the sanctions part: sanctions, rectification orders and a title's history. Fixed
paths come before the ones taking a code."""

from django.urls import URLPattern, path

from qnwmh.oversight.views import sanctions as v

S = "sanctions/<str:code>/"
R = "rectifications/<str:code>/"

urlpatterns: list[URLPattern] = [
    path("sanctions/", v.sanctions_view, name="sanctions"),
    path("sanctions/propose/", v.sanction_propose_view, name="sanction_propose"),
    path("sanctions/impose/", v.sanction_impose_view, name="sanction_impose"),
    path(S, v.sanction_view, name="sanction"),
    path(S + "confirm/", v.sanction_confirm_view, name="sanction_confirm"),
    path(S + "withdraw/", v.sanction_withdraw_view, name="sanction_withdraw"),
    path("rectifications/", v.rectifications_view, name="rectifications"),
    path("rectifications/new/", v.rectification_order_view, name="rectification_order"),
    path(R, v.rectification_view, name="rectification"),
    path(R + "report/", v.rectification_report_view, name="rectification_report"),
    path(R + "verify/", v.rectification_verify_view, name="rectification_verify"),
    path("titles/<str:code>/", v.title_view, name="title"),
]
