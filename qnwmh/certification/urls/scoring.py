"""Certification URLs: scoring."""

from django.urls import URLPattern, path

from qnwmh.certification.views import scoring as v

urlpatterns: list[URLPattern] = [
    path("scoring/", v.my_sheets_view, name="my_sheets"),
    path("scoring/sheets/<str:code>/pdf/", v.sheet_pdf_view, name="sheet_pdf"),
    path("scoring/sheets/<str:code>/<str:score_set>/", v.sheet_view, name="sheet"),
    path("scoring/reopen/<str:code>/", v.sheet_reopen_view, name="sheet_reopen"),
    path("scoring/paper/<str:code>/<str:score_set>/", v.paper_entry_view, name="paper_entry"),
    path("scoring/panels/<str:code>/", v.panel_view, name="panel_sheets"),
    path("scores/", v.rounds_view, name="score_rounds"),
    path("scores/<str:code>/", v.scores_view, name="scores"),
    path("scores/<str:code>/export/", v.scores_export_view, name="scores_export"),
    path("scores/<str:code>/aggregate/", v.aggregate_view, name="aggregate"),
    path("scores/<str:round_code>/<str:code>/", v.score_detail_view, name="score_detail"),
    path("defence/<str:code>/", v.defence_list_view, name="defence_list"),
    path("defence/sessions/<str:code>/", v.defence_detail_view, name="defence_detail"),
    path("defence/sessions/<str:code>/draw/", v.defence_draw_view, name="defence_draw"),
]
