"""Pages of the spreadsheet import: the documented format and template, upload with
checks, the error list or the preview, and the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from qnwmh.collectives.importing import background
from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
)
from qnwmh.collectives.importing.files import limit
from qnwmh.collectives.importing.selectors import import_batch_detail, import_batches_visible_to
from qnwmh.collectives.importing.template import template_response
from qnwmh.collectives.models import ImportBatch, ImportStatus
from qnwmh.core.errors import DomainError
from qnwmh.core.guard import ActorRequest, guarded
from qnwmh.core.permissions import can

# Seconds between two looks at a batch the worker is checking or applying.
POLL_SECONDS = 2
PROGRESS_ID = "import-progress"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"), allow_empty_file=True)


def _go(request: ActorRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@guarded("collectives.import")
def import_view(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = background.start_check(actor, upload=form.cleaned_data["file"])
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            return _go(request, reverse("collectives:import_batch", kwargs={"code": batch.code}))
    batches = import_batches_visible_to(actor)[:20]
    return render(
        request,
        "collectives/import.html",
        {
            "form": form,
            "batches": batches,
            "sheets": [(COLLECTIVES_SHEET, COLLECTIVE_COLUMNS), (MEMBERS_SHEET, MEMBER_COLUMNS)],
            "max_mb": limit("IMPORT_MAX_UPLOAD_BYTES") // 2**20,
            "max_collectives": limit("IMPORT_MAX_COLLECTIVES"),
            "max_members": limit("IMPORT_MAX_MEMBERS"),
        },
    )


@guarded("collectives.import")
def import_template_view(request: ActorRequest) -> HttpResponseBase:
    return template_response(request.actor)


@guarded("collectives.import", load=import_batch_detail, check_first=True)
def import_batch_view(request: ActorRequest, batch: ImportBatch) -> HttpResponse:
    actor = request.actor
    step = background.running_step(batch)
    if request.htmx and request.htmx.target == PROGRESS_ID:
        # The progress box polls: while the worker runs, the box anew; then the whole page.
        if step is None:
            return HttpResponseClientRefresh()
        return render(request, "collectives/_import_progress.html", _progress(batch, step))
    summary: dict[str, Any] = batch.summary or {}
    return render(
        request,
        "collectives/import_batch.html",
        {
            "batch": batch,
            **(_progress(batch, step) if step else {}),
            "counts": summary.get("counts", {}),
            "applied": summary.get("applied"),
            "failure": summary.get("failure"),
            "rows": summary.get("collectives", []),
            "members_by_collective": summary.get("members_by_collective", []),
            "error_count": summary.get("error_count", len(batch.errors)),
            "can_apply": step is None
            and batch.status == ImportStatus.READY
            and can(actor, "collectives.import_apply", batch),
        },
    )


def _progress(batch: ImportBatch, step: str) -> dict[str, Any]:
    task = batch.summary["task"]
    done, total = int(task.get("done") or 0), int(task.get("total") or 0)
    return {
        "batch": batch,
        "step": step,
        "done": done,
        "total": total,
        "percent": min(100, done * 100 // total) if total else None,
        "poll_seconds": POLL_SECONDS,
        "progress_id": PROGRESS_ID,
    }


# Who may not import at all is refused before the lookup; only the uploader confirms.
@guarded(
    "collectives.import",
    change="collectives.import_apply",
    load=import_batch_detail,
    check_first=True,
)
@require_POST
def import_apply_view(request: ActorRequest, batch: ImportBatch) -> HttpResponse:
    try:
        batch = background.start_apply(request.actor, batch=batch)
    except DomainError as exc:
        # Not left to the guard: the htmx form needs a client-side redirect, not a 302.
        messages.error(request, str(exc))
    else:
        # The worker may have finished already (it runs at once in tests and development).
        if batch.status == ImportStatus.APPLIED:
            messages.success(request, _("导入完成。"))
        elif batch.status == ImportStatus.INVALID:
            messages.error(request, _("数据在预览后发生了变化，文件现在有错误，未导入任何内容。"))
    return _go(request, reverse("collectives:import_batch", kwargs={"code": batch.code}))
