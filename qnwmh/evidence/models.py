"""Evidence files (留痕): photos, videos and PDF documents kept as proof. Never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qnwmh.core.codes import new_code


def file_code() -> str:
    return new_code(16)


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("图片")
    VIDEO = "video", _("视频")
    DOCUMENT = "document", _("文档")


class EvidenceFile(models.Model):
    """One stored upload. ``collective`` and/or ``body`` say whose it is (scope); ``purpose``
    says which app asked for it (e.g. ``creation.log``, ``supervision.complaint``)."""

    code = models.CharField(max_length=16, unique=True, default=file_code, editable=False)
    collective = models.ForeignKey(
        "collectives.Collective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_files",
        verbose_name=_("集体"),
    )
    body = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_files",
        verbose_name=_("组织管理机构"),
    )
    purpose = models.CharField(_("用途"), max_length=40)
    kind = models.CharField(_("类型"), max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(_("内容类型"), max_length=40)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    # SHA-256 of the bytes as uploaded (finds the same file uploaded twice) and of the bytes
    # kept (integrity of what is served; differs for re-encoded images).
    sha256 = models.CharField(_("原文件 SHA-256"), max_length=64, db_index=True)
    stored_sha256 = models.CharField(_("存储文件 SHA-256"), max_length=64)
    stored_size = models.PositiveBigIntegerField(_("存储大小（字节）"))
    storage_name = models.CharField(max_length=255, unique=True)
    thumbnail_name = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    captured_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("与之相同的文件"),
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("佐证文件")
        verbose_name_plural = _("佐证文件")
        indexes = [
            models.Index(fields=["collective", "uploaded_at"]),
            models.Index(fields=["body", "uploaded_at"]),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == EvidenceKind.IMAGE

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None

    @property
    def download_name(self) -> str:
        """The original name with the extension of what is actually stored."""
        stem = (
            self.original_name.rsplit(".", 1)[0]
            if "." in self.original_name
            else self.original_name
        )
        ext = self.storage_name.rsplit(".", 1)[-1]
        return f"{stem or 'file'}.{ext}"
