"""Pages of certificates: the scoped list (filter by body), one certificate with its plaque
text, its PDF, and a body's current certificates in one PDF."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from qnwmh.audit.services import log_action
from qnwmh.awards.documents.certificates import (
    body_certificates_pdf,
    certificate_pdf,
    verify_url,
)
from qnwmh.awards.documents.naming import plaque_text
from qnwmh.awards.models import Certificate
from qnwmh.awards.selectors.certificates import (
    certificate_detail,
    certificates_visible_to,
    current_certificates,
)
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate, querystring_without_page
from qnwmh.core.querystring import as_int
from qnwmh.orgs.models import Organisation
from qnwmh.orgs.selectors import bodies_visible_to


def site_url(request: HttpRequest) -> str:
    """Where the QR codes lead: SITE_URL when set (paper outlives the host it was printed
    from), else this request's host."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@guarded("awards.view")
@require_safe
def certificates_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    bodies = bodies_visible_to(actor).order_by("name")
    body_id = as_int(request.GET.get("body"))
    qs = certificates_visible_to(actor).order_by("-issued_on", "-id")
    if body_id:
        qs = qs.filter(title__collective__body_id=body_id)
    if request.GET.get("current"):
        qs = current_certificates(actor, body_id=body_id)
    return render(
        request,
        "awards/decision/certificates.html",
        {
            "page": paginate(request, qs),
            "qs": querystring_without_page(request),
            "bodies": bodies,
            "body": next((b for b in bodies if b.pk == body_id), None),
            "current": bool(request.GET.get("current")),
        },
    )


@guarded("awards.view", load=certificate_detail)
@require_safe
def certificate_view(request: ActorRequest, cert: Certificate) -> HttpResponse:
    return render(
        request,
        "awards/decision/certificate.html",
        {
            "cert": cert,
            "plaque": plaque_text(cert),
            "verify": verify_url(cert, site_url(request)),
            "history": cert.title.certificates.order_by("-issued_on", "-id"),
        },
    )


@guarded("awards.view", load=certificate_detail)
@require_safe
def certificate_pdf_view(request: ActorRequest, cert: Certificate) -> HttpResponse:
    response = HttpResponse(
        certificate_pdf(cert, base_url=site_url(request)), content_type="application/pdf"
    )
    log_action(request.actor, cert, "awards.certificate.printed")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.number}.pdf"'
    return response


def _body(actor: object, code: str) -> Organisation:
    return get_object_or_404(bodies_visible_to(actor), code=code)  # type: ignore[arg-type]


@guarded("awards.view", load=_body)
@require_safe
def body_certificates_view(request: ActorRequest, body: Organisation) -> HttpResponseBase:
    return body_certificates_pdf(request.actor, body, base_url=site_url(request))
