"""Public pages of oversight, mounted at the site root: the year's revocation notice and the
spot-check reproduction page."""

from django.urls import path

from qnwmh.oversight.views import spotcheck_public

app_name = "oversight_public"

urlpatterns: list = [
    path("spot-checks/<str:code>/", spotcheck_public.spot_check_view, name="spot_check"),
    path(
        "spot-checks/<str:code>/population.json",
        spotcheck_public.population_view,
        name="spot_check_population",
    ),
]
