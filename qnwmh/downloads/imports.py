"""The hooks the collectives import's background steps need from the apps above collectives
(``collectives.importing.background``): the uploader's actor, built anew in the worker, and a
notice to the uploader when a step ends. Kept here beside the background files' own."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qnwmh.access.actor import actor_for
from qnwmh.collectives.importing import background
from qnwmh.collectives.models import ImportBatch, ImportStatus
from qnwmh.notices import messages
from qnwmh.notices.services import notify

CHECKED_NOTICE = "collectives.import.checked"
INVALID_NOTICE = "collectives.import.invalid"
APPLIED_NOTICE = "collectives.import.applied"
FAILED_NOTICE = "collectives.import.failed"


def register() -> None:
    messages.register(CHECKED_NOTICE, _("导入文件“%(file)s”已检查完毕，请查看预览并确认导入。"))
    messages.register(INVALID_NOTICE, _("导入文件“%(file)s”有错误，未导入任何内容。"))
    messages.register(APPLIED_NOTICE, _("导入文件“%(file)s”已导入。"))
    messages.register(FAILED_NOTICE, _("导入文件“%(file)s”处理失败，未导入任何内容。"))
    background.register_hooks(actor_of=actor_for, finished=finished)


def finished(batch: ImportBatch, step: str, ok: bool) -> None:
    if not ok or (step == background.APPLY and batch.status == ImportStatus.READY):
        code = FAILED_NOTICE
    elif batch.status == ImportStatus.INVALID:
        code = INVALID_NOTICE
    else:
        code = APPLIED_NOTICE if step == background.APPLY else CHECKED_NOTICE
    notify(
        [batch.owner],
        code=code,
        params={"file": batch.original_name},
        link=reverse("collectives:import_batch", kwargs={"code": batch.code}),
    )
