"""Public pages of oversight, mounted at the site root: the year's revocation notice and the
spot-check reproduction page."""

from django.urls import URLPattern, path

from qnwmh.oversight.views import exits, spotcheck_public

app_name = "oversight_public"

urlpatterns: list[URLPattern] = [
    path("revocations/", exits.revocation_years_view, name="revocation_years"),
    path("revocations/<id:year>/", exits.revocations_view, name="revocations"),
    path("spot-checks/<str:code>/", spotcheck_public.spot_check_view, name="spot_check"),
    path(
        "spot-checks/<str:code>/population.json",
        spotcheck_public.population_view,
        name="spot_check_population",
    ),
]
