"""Root URLs. Back office under /office/, accounts under /accounts/, the REST API under
/api/v1/, the public site at the root (see qnwmh.public)."""

from django.urls import include, path
from django.views.i18n import set_language

from qnwmh.core.guard import guarded
from qnwmh.orgs import views as orgs_views
from qnwmh.public import views as public_views

handler400 = "qnwmh.core.error_views.bad_request"
handler403 = "qnwmh.core.error_views.forbidden"
handler404 = "qnwmh.core.error_views.not_found"
handler500 = "qnwmh.core.error_views.server_error"

urlpatterns = [
    path("i18n/setlang/", guarded(public=True)(set_language), name="set_language"),
    path("accounts/", include("qnwmh.access.urls")),
    path("office/", include("qnwmh.core.urls")),
    path("office/collectives/", include("qnwmh.collectives.urls")),
    path("office/orgs/", include("qnwmh.orgs.urls")),
    path("office/rules/", include("qnwmh.programme.urls")),
    path("office/audit/", include("qnwmh.audit.urls")),
    path("office/cycles/", include("qnwmh.cycles.urls")),
    path("office/notices/", include("qnwmh.notices.urls")),
    path("office/files/", include("qnwmh.downloads.urls")),
    path("office/evidence/", include("qnwmh.evidence.urls")),
    path("office/creation/", include("qnwmh.creation.urls")),
    path("office/supervision/", include("qnwmh.supervision.urls")),
    path("office/certification/", include("qnwmh.certification.urls")),
    path("office/knowledge/", include("qnwmh.knowledge.urls")),
    path("office/awards/", include("qnwmh.awards.urls")),
    path("office/training/", include("qnwmh.training.urls")),
    path("office/oversight/", include("qnwmh.oversight.urls")),
    path("office/exchange/", include("qnwmh.exchange.urls")),
    path("office/partnerships/", include("qnwmh.partnerships.urls")),
    path("office/consultation/", include("qnwmh.consultation.urls")),
    path("office/recognition/", include("qnwmh.recognition.urls")),
    path("office/dashboards/", include("qnwmh.dashboards.urls")),
    path("office/boards/", include("qnwmh.public.board_urls")),
    path("office/visits/", include("qnwmh.public.visit_urls")),
    path("api/", include("qnwmh.api.urls")),
    path("-/floor/", orgs_views.floor, name="floor"),
    path("open-weeks/", public_views.open_weeks_view, name="open_weeks"),
    path("", include("qnwmh.supervision.public_urls")),
    path("", include("qnwmh.awards.public_urls")),
    path("", include("qnwmh.oversight.public_urls")),
    path("", include("qnwmh.consultation.public_urls")),
    path("", include("qnwmh.recognition.public_urls")),
    path("", include("qnwmh.public.urls")),
]
