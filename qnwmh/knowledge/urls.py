"""Knowledge-test pages under /office/knowledge/."""

from django.urls import path

from qnwmh.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("bank/", views.bank_view, name="bank"),
    path("bank/template.xlsx", views.bank_template_view, name="bank_template"),
    path("bank/import/", views.bank_import_view, name="bank_import"),
    path("bank/new/", views.question_create_view, name="question_create"),
    path("bank/categories/", views.categories_view, name="categories"),
    path("bank/categories/<str:code>/", views.category_edit_view, name="category"),
    path("bank/<str:code>/", views.question_view, name="question"),
    path("bank/<str:code>/active/", views.question_active_view, name="question_active"),
    path("", views.exam_list_view, name="exams"),
    path("exams/<str:code>/", views.exam_view, name="exam"),
    path("exams/<str:code>/settings/", views.exam_settings_view, name="exam_settings"),
    path("exams/<str:code>/start/", views.attempt_start_view, name="start"),
    path("attempts/<str:code>/", views.attempt_view, name="attempt"),
    path("attempts/<str:code>/answer/", views.attempt_answer_view, name="answer"),
    path("attempts/<str:code>/submit/", views.attempt_submit_view, name="submit"),
]
