"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "downloads.file.started": _("开始生成文件"),
    "downloads.file.downloaded": _("下载生成的文件"),
}
