from django.urls import path

from qnwmh.creation import views

app_name = "creation"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance/export.xlsx", views.compliance_export_view, name="compliance_export"),
    path("compliance/bodies/<str:body>/", views.body_compliance_view, name="body_compliance"),
    path("entries/", views.entries_view, name="entries"),
    path("duties/", views.duties_view, name="duties"),
    path("duties/<str:body>/", views.body_duties_view, name="body_duties"),
    path("c/<str:code>/", views.log_view, name="log"),
    path("c/<str:code>/new/", views.entry_create_view, name="entry_create"),
    path("c/<str:code>/entries/<str:entry>/", views.entry_view, name="entry"),
    path(
        "c/<str:code>/entries/<str:entry>/correct/", views.entry_correct_view, name="entry_correct"
    ),
    path("c/<str:code>/entries/<str:entry>/attach/", views.entry_attach_view, name="entry_attach"),
    path("c/<str:code>/plan/", views.plan_view, name="plan"),
    path("c/<str:code>/plan/edit/", views.plan_edit_view, name="plan_edit"),
    path("c/<str:code>/plan/compare/", views.plan_compare_view, name="plan_compare"),
    path("c/<str:code>/ledger/", views.ledger_view, name="ledger"),
    path("c/<str:code>/ledger/dossier.pdf", views.dossier_pdf_view, name="dossier_pdf"),
    path("c/<str:code>/ledger/dossier.zip", views.dossier_zip_view, name="dossier_zip"),
    path(
        "c/<str:code>/compliance/", views.collective_compliance_view, name="collective_compliance"
    ),
]
