from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from qnwmh.audit.services import log_action
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.pagination import paginate
from qnwmh.downloads.models import FileStatus, GeneratedFile
from qnwmh.downloads.selectors import file_of, files_of

# Seconds between two looks at a file still being built (htmx, or a meta refresh without JS).
POLL_SECONDS = 3


@guarded()
@require_safe
def file_list_view(request: ActorRequest) -> HttpResponse:
    # The stored call (payload) is the worker's business, not the list's.
    page = paginate(request, files_of(request.actor).defer("payload"), per_page=30)
    context = {"page": page, "qs": "", "keep_days": settings.GENERATED_FILE_DAYS}
    return render(request, "downloads/list.html", context)


@guarded(load=file_of)
@require_safe
def file_detail_view(request: ActorRequest, generated: GeneratedFile) -> HttpResponse:
    template = "downloads/_progress.html" if request.htmx else "downloads/detail.html"
    return render(request, template, {"f": generated, "poll_seconds": POLL_SECONDS})


@guarded(load=file_of)
@require_safe
def file_download_view(request: ActorRequest, generated: GeneratedFile) -> FileResponse:
    if generated.status != FileStatus.READY or not generated.storage_name:
        raise Http404
    try:
        fh = default_storage.open(generated.storage_name, "rb")
    except OSError as exc:
        raise Http404 from exc
    log_action(
        request.actor,
        generated,
        "downloads.file.downloaded",
        data={"label": generated.label, "size": generated.size},
    )
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=generated.filename or generated.label,
        content_type=generated.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "no-store, private"
    return response
