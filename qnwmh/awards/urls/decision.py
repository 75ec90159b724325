"""Awards pages of the decision part (joined in ``urls/__init__``)."""

from django.urls import URLPattern, path

from qnwmh.awards.views import certificates, decision

D = "decisions/<str:code>/"
C = "certificates/<str:number>/"

urlpatterns: list[URLPattern] = [
    path("decisions/", decision.decisions_view, name="decisions"),
    path("shortlists/<str:code>/audit/", decision.audit_view, name="audit"),
    path(D, decision.decision_view, name="decision"),
    path(D + "naming.pdf", decision.naming_pdf_view, name="naming_pdf"),
    path(D + "naming.xlsx", decision.naming_xlsx_view, name="naming_xlsx"),
    path("certificates/", certificates.certificates_view, name="certificates"),
    path(
        "certificates/body/<str:code>/pdf/",
        certificates.body_certificates_view,
        name="body_certificates_pdf",
    ),
    path(C, certificates.certificate_view, name="certificate"),
    path(C + "pdf/", certificates.certificate_pdf_view, name="certificate_pdf"),
]
