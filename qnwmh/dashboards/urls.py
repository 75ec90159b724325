"""Dashboards and reports: back-office pages under /office/dashboards/."""

from django.urls import URLPattern, path

from qnwmh.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard_view, name="dashboard"),
    path("export/", views.dashboard_export_view, name="export"),
    path("report/", views.report_view, name="report"),
    path("report/pdf/", views.report_pdf_view, name="report_pdf"),
    path("report/xlsx/", views.report_xlsx_view, name="report_xlsx"),
]
