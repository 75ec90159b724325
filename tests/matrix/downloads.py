"""Generated files: the list is anyone's own; a file answers its owner only (404 to anyone
else, whatever their role)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.matrix import LOGIN, Row, expect


def _ready_file(w: Any) -> dict[str, Any]:
    from qnwmh.downloads.models import FileStatus, GeneratedFile

    generated = GeneratedFile.objects.create(
        owner=w.users["manager"], label="集体", job="x.y", total=1, status=FileStatus.READY
    )
    name = default_storage.save(f"generated/{generated.code}.xlsx", ContentFile(b"PK"))
    GeneratedFile.objects.filter(pk=generated.pk).update(
        storage_name=name, filename="集体.xlsx", size=2, finished_at=timezone.now()
    )
    return {"code": generated.code}


OWNER_ONLY = expect(404, anonymous=LOGIN, manager=200)

ROWS = [
    Row("downloads:list", expect(200, anonymous=LOGIN), permission=None),
    Row("downloads:detail", OWNER_ONLY, kwargs=_ready_file, permission=None),
    Row("downloads:file", OWNER_ONLY, kwargs=_ready_file, permission=None),
]
