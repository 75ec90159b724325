"""Awards pages of the nomination part (joined in ``urls/__init__``)."""

from django.urls import URLPattern, path

from qnwmh.awards.views import nomination as views

R = "nominations/<str:code>/"
N = R + "n/<str:ncode>/"

urlpatterns: list[URLPattern] = [
    path("nominations/", views.rounds_view, name="nomination_rounds"),
    path("nominations/new/", views.round_create_view, name="nomination_round_create"),
    path(R, views.round_view, name="nomination_round"),
    path(R + "edit/", views.round_edit_view, name="nomination_round_edit"),
    path(R + "export/", views.round_export_view, name="nomination_round_export"),
    path(R + "nominate/<str:title_code>/", views.nominate_view, name="nominate"),
    path(N, views.nomination_view, name="nomination"),
    path(N + "withdraw/", views.withdraw_view, name="nomination_withdraw"),
    path(N + "outcome/", views.outcome_view, name="nomination_outcome"),
    path(N + "dossier/", views.dossier_view, name="nomination_dossier"),
]
