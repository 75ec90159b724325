"""Audit action labels of this app (see ``qnwmh.audit.labels``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    # The asker's request queues the file; the worker and ``expire_files`` move it on.
    "downloads.file.started": _("请求生成文件"),
    "downloads.file.build_started": _("开始生成文件"),
    "downloads.file.built": _("完成文件生成"),
    "downloads.file.failed": _("文件生成出错"),
    "downloads.file.expired": _("删除过期的生成文件"),
    "downloads.file.downloaded": _("下载生成的文件"),
}
