"""Awards pages of the ranking part (joined in ``urls/__init__``)."""

from django.urls import URLPattern, path

from qnwmh.awards.views import ranking as v

urlpatterns: list[URLPattern] = [
    path("ranking/", v.rounds_view, name="ranking_rounds"),
    path("ranking/<str:code>/", v.ranking_view, name="ranking"),
    path("ranking/<str:code>/export/", v.ranking_export_view, name="ranking_export"),
    path("ranking/<str:code>/what-if/", v.what_if_view, name="what_if"),
    path("ranking/<str:code>/freeze/", v.freeze_view, name="freeze"),
    path("ranking/<str:code>/league-support/", v.league_list_view, name="league_support"),
    path(
        "ranking/<str:round_code>/league-support/<str:code>/",
        v.league_edit_view,
        name="league_support_edit",
    ),
    path("shortlists/<str:code>/", v.shortlist_view, name="shortlist"),
    path(
        "shortlists/<str:code>/entries/<id:entry_id>/move-up/",
        v.move_up_view,
        name="move_up",
    ),
]
