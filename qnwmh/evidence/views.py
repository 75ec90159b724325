"""Serving evidence files: only through these views, only within the actor's scope.

Another body's file answers 404. Responses never let a browser treat the bytes as a page:
the stored content type is one of our own (image/*, video/*, application/pdf), ``nosniff``
is set, a sandboxing CSP forbids scripts, and PDFs are always downloads."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.evidence.models import EvidenceFile, EvidenceKind
from qnwmh.evidence.selectors import evidence_detail

INLINE_TYPES = {"image/jpeg", "image/png", "video/mp4", "video/quicktime"}


def _respond(name: str, content_type: str, filename: str, *, inline: bool) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@guarded(load=evidence_detail)
def file_view(request: ActorRequest, evidence: EvidenceFile) -> FileResponse:
    inline = evidence.content_type in INLINE_TYPES and request.GET.get("download") != "1"
    return _respond(
        evidence.storage_name, evidence.content_type, evidence.download_name, inline=inline
    )


@guarded(load=evidence_detail)
def thumbnail_view(request: ActorRequest, evidence: EvidenceFile) -> FileResponse:
    if evidence.kind != EvidenceKind.IMAGE or not evidence.thumbnail_name:
        raise Http404
    return _respond(
        evidence.thumbnail_name,
        "image/jpeg",
        "thumb-" + evidence.download_name.rsplit(".", 1)[0] + ".jpg",
        inline=True,
    )
