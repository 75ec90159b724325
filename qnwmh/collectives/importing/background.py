"""Imports run by the worker: a 10,000-row file is checked and applied by ``manage.py
run_worker``, never by a web worker.

The request stores the file (or marks the batch for applying) and queues the task in the same
transaction (the database backend's task row commits with the batch; in tests the immediate
backend runs it at once). The batch row carries the running step in ``summary["task"]``:
``{"step": "check" | "apply", "done": rows, "total": rows, "ip": …}``, so the batch page can
show progress and survive a reload; the worker removes it when the step ends.

Checking runs outside a transaction, so its row counts are seen by the page as they go.
Applying is one transaction (all rows or none): its progress is the step alone.

Two things this app cannot do itself (they live in apps above it) are hooks filled in
``AppConfig.ready`` by ``qnwmh.downloads``: building the uploader's actor anew in the worker
(so roles withdrawn meanwhile count) and telling the uploader the step is over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.collectives.importing import services
from qnwmh.collectives.models import IMPORT_TRANSITIONS, ImportBatch, ImportStatus
from qnwmh.core import background
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require

logger = logging.getLogger(__name__)

CHECK, APPLY = "check", "apply"

# Filled by an app above this one (``qnwmh.downloads``) in its ``AppConfig.ready``.
ActorOf = Callable[[Any, str | None], Actor]
Finished = Callable[[ImportBatch, str, bool], None]
_actor_of: ActorOf | None = None
_finished: Finished | None = None


def register_hooks(*, actor_of: ActorOf, finished: Finished) -> None:
    global _actor_of, _finished
    _actor_of, _finished = actor_of, finished


def running_step(batch: ImportBatch) -> str | None:
    """The step the worker has the batch for ("check" or "apply"), else None."""
    task = (batch.summary or {}).get("task")
    return task.get("step") if isinstance(task, dict) else None


# In the request ----------------------------------------------------------------------------


def start_check(actor: Actor, *, upload: UploadedFile) -> ImportBatch:
    """Store the file and queue its check; the batch waits as "checking"."""
    with transaction.atomic():
        batch = services.receive_upload(actor, upload=upload)
        batch.summary = {"task": _task(CHECK, actor)}
        batch.save(update_fields=["summary"])
        _enqueue(CHECK, batch.pk)
    batch.refresh_from_db()
    return batch


def start_apply(actor: Actor, *, batch: ImportBatch) -> ImportBatch:
    """Queue the apply of a ready batch; refused while the worker already has it."""
    require(actor, "collectives.import_apply", batch)
    with transaction.atomic():
        batch = lock(ImportBatch, batch.pk)
        if running_step(batch) is not None:
            raise DomainError(_("该批次正在后台处理，请稍候。"))
        if not IMPORT_TRANSITIONS.can(batch, ImportStatus.APPLIED):
            raise DomainError(_("只有待确认的导入批次才能确认导入。"))
        batch.summary = {**batch.summary, "task": _task(APPLY, actor)}
        batch.summary.pop("failure", None)
        batch.save(update_fields=["summary"])
        _enqueue(APPLY, batch.pk)
    batch.refresh_from_db()
    return batch


def _task(step: str, actor: Actor) -> dict[str, Any]:
    return {"step": step, "done": 0, "total": 0, "ip": actor.ip, "at": timezone.now().isoformat()}


def _enqueue(step: str, batch_id: int) -> None:
    # In the batch's transaction: the database backend's task row commits with it.
    from qnwmh.collectives.tasks import apply_import, check_import

    (check_import if step == CHECK else apply_import).enqueue(batch_id)


# In the worker -----------------------------------------------------------------------------


def run(step: str, batch_id: int) -> str:
    """Run the queued step of one batch; what happened, for the task's result. A step already
    done (a task run twice) does nothing."""
    batch = ImportBatch.objects.select_related("owner").filter(pk=batch_id).first()
    if batch is None or running_step(batch) != step:
        return "done"
    task = batch.summary["task"]
    if _actor_of is None:
        raise RuntimeError("no actor hook: qnwmh.downloads registers it at start-up")
    actor = _actor_of(batch.owner, task.get("ip"))
    try:
        batch = _check(actor, batch) if step == CHECK else _apply(actor, batch)
        ok = True
    except Exception as exc:
        logger.exception("import batch %s: %s failed", batch_id, step)
        batch = _failed(batch_id, step, exc)
        ok = False
    if _finished is not None:
        _finished(batch, step, ok)
    return f"{step}: {batch.status}" if ok else f"{step}: failed"


def _check(actor: Actor, batch: ImportBatch) -> ImportBatch:
    def report(done: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            summary={**batch.summary, "task": {**batch.summary["task"], "done": done}}
        )

    def total(rows: int) -> None:
        batch.summary = {**batch.summary, "task": {**batch.summary["task"], "total": rows}}
        report(0)

    # Rows are counted as they are validated (not in a transaction: the page sees the count).
    with background.listening(report):
        return services.check_batch(actor, batch, on_total=total)


def _apply(actor: Actor, batch: ImportBatch) -> ImportBatch:
    try:
        return services.import_apply(actor, batch=batch)
    except DomainError as exc:
        # Refused as a whole (rights withdrawn since the click…): said on the page.
        return _failed(batch.pk, APPLY, exc)


def _failed(batch_id: int, step: str, exc: Exception) -> ImportBatch:
    """End the step with nothing imported and the reason on the batch page."""
    with transaction.atomic():
        batch = lock(ImportBatch, batch_id)
        summary = {k: v for k, v in (batch.summary or {}).items() if k != "task"}
        reason = str(exc) if isinstance(exc, DomainError) else _("处理时出现内部错误，请重试。")
        if step == CHECK:
            batch.status = ImportStatus.INVALID
            batch.errors = [{"sheet": "", "row": None, "column": "", "message": reason}]
            summary["error_count"] = 1
        else:
            summary["failure"] = reason
        batch.summary = summary
        batch.save(update_fields=["status", "errors", "summary"])
    return batch
