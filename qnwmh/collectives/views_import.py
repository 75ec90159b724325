"""Pages of the spreadsheet import: the documented format and template, upload with
checks, the error list or the preview, and the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from qnwmh.collectives.importing import services
from qnwmh.collectives.importing.columns import (
    COLLECTIVE_COLUMNS,
    COLLECTIVES_SHEET,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
)
from qnwmh.collectives.importing.files import limit
from qnwmh.collectives.importing.selectors import import_batches_visible_to
from qnwmh.collectives.importing.template import template_response
from qnwmh.collectives.models import ImportStatus
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import can, require


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"), allow_empty_file=True)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "collectives.import")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(actor, upload=form.cleaned_data["file"])
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


@login_required
def import_template_view(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "collectives.import")
    return template_response(actor)


@login_required
def import_batch_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "collectives.import")
    batch = get_object_or_404(import_batches_visible_to(actor), code=code)
    summary: dict[str, Any] = batch.summary or {}
    return render(
        request,
        "collectives/import_batch.html",
        {
            "batch": batch,
            "counts": summary.get("counts", {}),
            "applied": summary.get("applied"),
            "rows": summary.get("collectives", []),
            "members_by_collective": summary.get("members_by_collective", []),
            "error_count": summary.get("error_count", len(batch.errors)),
            "can_apply": batch.status == ImportStatus.READY
            and can(actor, "collectives.import_apply", batch),
        },
    )


@login_required
@require_POST
def import_apply_view(request: HttpRequest, code: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    require(actor, "collectives.import")
    batch = get_object_or_404(import_batches_visible_to(actor), code=code)
    try:
        batch = services.import_apply(actor, batch=batch)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if batch.status == ImportStatus.APPLIED:
            messages.success(request, _("导入完成。"))
        else:
            messages.error(request, _("数据在预览后发生了变化，文件现在有错误，未导入任何内容。"))
    return _go(request, reverse("collectives:import_batch", kwargs={"code": batch.code}))
