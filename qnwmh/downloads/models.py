"""Files the platform builds for someone in the background (a large export, a dossier, a bulk
print of boards): who asked, how far it is, and the file once it is built. A file is kept
``GENERATED_FILE_DAYS`` days, then its blob is removed (``manage.py expire_files``) and the row
stays, marked expired."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code
from qnwmh.core.states import Transitions


def file_code() -> str:
    return new_code(16)


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    READY = "ready", _("可下载")
    FAILED = "failed", _("生成失败")
    EXPIRED = "expired", _("已过期")


FILE_TRANSITIONS = Transitions(
    FileStatus,
    {
        FileStatus.QUEUED: {FileStatus.RUNNING, FileStatus.FAILED},
        # RUNNING → RUNNING: a worker killed mid-build leaves the row running; the re-queued
        # run (same task id) starts the file again from the beginning.
        FileStatus.RUNNING: {FileStatus.RUNNING, FileStatus.READY, FileStatus.FAILED},
        FileStatus.READY: {FileStatus.EXPIRED},
        FileStatus.FAILED: {FileStatus.EXPIRED},
        FileStatus.EXPIRED: set(),
    },
)

FINISHED = (FileStatus.READY, FileStatus.FAILED, FileStatus.EXPIRED)


class GeneratedFile(models.Model):
    code = models.CharField(max_length=16, unique=True, default=file_code, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="generated_files"
    )
    label = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # What builds it: the dotted path of ``run(actor, **kwargs)`` and its pickled arguments,
    # signed (``payload_mac``) so that only what this server wrote is ever unpickled.
    job = models.CharField(max_length=200)
    payload = models.BinaryField(default=b"")
    payload_mac = models.CharField(max_length=64, blank=True)
    # The asker's language and address: the file speaks the one, the audit records the other.
    language = models.CharField(max_length=10, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    storage_name = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    # The task run building it (a killed worker's re-queued run carries the same id).
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        verbose_name = _("生成的文件")
        verbose_name_plural = _("生成的文件")

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == FileStatus.READY:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)
