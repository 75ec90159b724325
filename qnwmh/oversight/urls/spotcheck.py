"""Pages of the spotcheck part: draws, visits and the manager's own visits."""

from django.urls import URLPattern, path

from qnwmh.oversight.views import spotcheck as views

V = "visits/<str:code>/"

urlpatterns: list[URLPattern] = [
    path("spot-checks/", views.spot_checks_view, name="spot_checks"),
    path("spot-checks/new/", views.spot_check_draw_view, name="spot_check_draw"),
    path("spot-checks/<str:code>/", views.spot_check_view, name="spot_check"),
    path("visits/", views.visits_view, name="visits"),
    path("visits/new/<str:title_code>/", views.visit_new_view, name="visit_new"),
    path(V, views.visit_view, name="visit"),
    path(V + "plan/", views.visit_plan_view, name="visit_plan"),
    path(V + "record/", views.visit_record_view, name="visit_record"),
    path(V + "close/", views.visit_close_view, name="visit_close"),
    path("my-visits/", views.my_visits_view, name="my_visits"),
]
