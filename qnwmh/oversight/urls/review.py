"""Pages of the review part."""

from django.urls import URLPattern, path

from qnwmh.oversight.views import review as views

R = "reviews/<str:code>/"
C = "review-cases/<str:code>/"

urlpatterns: list[URLPattern] = [
    path("reviews/", views.reviews_view, name="reviews"),
    path("reviews/new/", views.review_open_view, name="review_open"),
    path(R, views.review_view, name="review"),
    path(R + "cases/", views.review_cases_view, name="review_cases"),
    path(R + "cases/export/", views.review_cases_export_view, name="review_cases_export"),
    path(R + "close/", views.review_close_view, name="review_close"),
    path(C, views.case_view, name="review_case"),
    path(C + "self-report/", views.self_report_view, name="review_self_report"),
    path(C + "assess/", views.assess_view, name="review_assess"),
    path(C + "decide/", views.decide_view, name="review_decide"),
    path(C + "force/", views.force_view, name="review_force"),
    path("my-reviews/", views.my_reviews_view, name="my_reviews"),
]
