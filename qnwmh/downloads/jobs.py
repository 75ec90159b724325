"""Building a file in the background: start (in the request), build (in the worker), expire.

``start`` is what ``qnwmh.core.background.inline_or_background`` calls above its limit. It
stores the call — the file function's dotted path and its arguments, pickled — and queues
``downloads.tasks.build_file``. Querysets among the arguments are kept as their query (Django
pickles a query without running it), so the worker reads exactly the rows the page showed,
scoped as they were when asked.

A build can run again: a worker killed mid-build leaves the row RUNNING, the worker's restart
re-queues the task with the same id, and that run starts the file over (the blob is written
only once complete). Another run of the same file while one holds it does nothing.

The asker's request audits the start; each later move (the worker starting, finishing or
failing the build, ``expire`` removing it) is audited as the platform's own act, by the system
actor, in the move's transaction.
"""

from __future__ import annotations

import datetime
import hmac
import logging
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from qnwmh.access.actor import actor_for
from qnwmh.audit.services import log_action
from qnwmh.core import background
from qnwmh.core.actor import Actor, system_actor
from qnwmh.core.replica import replica_reads
from qnwmh.downloads.models import FILE_TRANSITIONS, FileStatus, GeneratedFile
from qnwmh.notices import messages
from qnwmh.notices.services import notify

logger = logging.getLogger(__name__)

# How long a run holds a file before another run of it may take over (only a run on a worker
# that died elsewhere leaves a claim to expire; on this host the restart re-queues it at once).
CLAIM_SECONDS = 3 * 3600
# The worker's sweep re-queues a queued file only once it is this late.
SWEEP_GRACE_SECONDS = 600

READY_NOTICE = "downloads.ready"
FAILED_NOTICE = "downloads.failed"


def register_notice_kinds() -> None:
    messages.register(READY_NOTICE, _("文件“%(label)s”已生成，可以下载。"))
    messages.register(FAILED_NOTICE, _("文件“%(label)s”生成失败。"))


# Starting (in the request) ----------------------------------------------------------------


@dataclass(frozen=True)
class _FrozenQuery:
    """A queryset as its query and prefetches: pickling a QuerySet itself would run it."""

    model: type[models.Model]
    query: Any
    prefetch: tuple[Any, ...]

    def thaw(self) -> QuerySet[Any]:
        qs = self.model._default_manager.all()
        qs.query = self.query
        return qs.prefetch_related(*self.prefetch) if self.prefetch else qs


def _freeze(value: Any) -> Any:
    if isinstance(value, QuerySet):
        prefetch = tuple(getattr(value, "_prefetch_related_lookups", ()))
        return _FrozenQuery(value.model, value.query, prefetch)
    return value


def _thaw(value: Any) -> Any:
    return value.thaw() if isinstance(value, _FrozenQuery) else value


def _mac(payload: bytes) -> str:
    return salted_hmac("qnwmh.downloads.payload", payload, algorithm="sha256").hexdigest()


def dotted_path(run: Callable[..., Any]) -> str:
    path = f"{run.__module__}.{run.__qualname__}"
    if "<" in path or "." in run.__qualname__:
        raise ValueError(f"{path}: a background file is built by a module-level function")
    return path


def start(
    actor: Actor,
    *,
    run: Callable[..., HttpResponseBase],
    kwargs: dict[str, Any],
    label: str,
    total: int,
) -> HttpResponseBase:
    """Keep the call, queue its build, answer the redirect to its progress page."""
    if actor.user is None:  # no one to give the file to (the platform itself): build it now
        return run(actor, **kwargs)
    job = dotted_path(run)
    payload = pickle.dumps({k: _freeze(v) for k, v in kwargs.items()})
    with transaction.atomic():
        generated = GeneratedFile.objects.create(
            owner=actor.user,
            label=label[:200],
            total=total,
            job=job,
            payload=payload,
            payload_mac=_mac(payload),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            ip=actor.ip,
        )
        log_action(
            actor,
            generated,
            "downloads.file.started",
            data={"label": generated.label, "job": job, "total": total},
        )
        transaction.on_commit(lambda: enqueue(generated.pk))
    return HttpResponseRedirect(reverse("downloads:detail", kwargs={"code": generated.code}))


def enqueue(file_id: int) -> None:
    from qnwmh.downloads.tasks import build_file

    build_file.enqueue(file_id)


# Building (in the worker) -----------------------------------------------------------------


def build(file_id: int, *, run_id: str) -> str:
    """Build one file if it still needs building; what happened, for the task's result."""
    generated = _claim(file_id, run_id)
    if isinstance(generated, str):
        return generated
    try:
        response = _run(generated)
        try:
            name, filename, content_type, size = _store(generated, response)
        finally:
            _release(response)
    except Exception as exc:
        logger.exception("generated file %s (%s) failed", generated.pk, generated.job)
        return _finish(generated, run_id, FileStatus.FAILED, fault=exc)
    return _finish(
        generated,
        run_id,
        FileStatus.READY,
        storage_name=name,
        filename=filename,
        content_type=content_type,
        size=size,
    )


def _release(response: HttpResponseBase) -> None:
    """Close the file a FileResponse streams from. Not ``response.close()``: outside a request
    that also sends ``request_finished``, which closes the caller's database connection (the
    worker's, mid-task)."""
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()


def _claim(file_id: int, run_id: str) -> GeneratedFile | str:
    now = timezone.now()
    with transaction.atomic():
        generated = GeneratedFile.objects.select_for_update().filter(pk=file_id).first()
        if generated is None or generated.finished:
            return "done"
        resuming = generated.claimed_by == run_id
        held = generated.claimed_until is not None and generated.claimed_until > now
        if generated.status == FileStatus.RUNNING and not resuming and held:
            return "claimed"
        restarted = generated.status == FileStatus.RUNNING
        FILE_TRANSITIONS.move(generated, FileStatus.RUNNING)
        generated.claimed_by = run_id
        generated.claimed_until = now + datetime.timedelta(seconds=CLAIM_SECONDS)
        generated.started_at = now
        generated.done = 0  # a resumed run starts over
        generated.save(
            update_fields=["status", "claimed_by", "claimed_until", "started_at", "done"]
        )
        _audit(generated, "downloads.file.build_started", restarted=restarted)
    return generated


def _run(generated: GeneratedFile) -> HttpResponseBase:
    payload = bytes(generated.payload)
    if not hmac.compare_digest(_mac(payload), generated.payload_mac):
        raise ValueError("the stored call does not carry this server's signature")
    kwargs = {k: _thaw(v) for k, v in pickle.loads(payload).items()}
    run = import_string(generated.job)
    actor = actor_for(generated.owner, generated.ip)
    if actor.user is None:
        raise PermissionError("the account that asked for this file is no longer active")

    def report(done: int) -> None:
        GeneratedFile.objects.filter(pk=generated.pk).update(done=done)

    # A file is a report: its reads may go to the replica (its progress writes go to default).
    with translation.override(generated.language), background.listening(report), replica_reads():
        response: HttpResponseBase = run(actor, **kwargs)
    return response


_DISPOSITION = re.compile(r"filename\*=(?:UTF-8|utf-8)''([^;]+)|filename=\"?([^\";]+)\"?")


def attachment_name(response: HttpResponseBase, fallback: str) -> str:
    """The file name the response would have given the browser."""
    if isinstance(response, FileResponse) and response.filename:
        return str(response.filename)
    match = _DISPOSITION.search(response.get("Content-Disposition", ""))
    if match:
        return unquote(match.group(1) or match.group(2))
    return fallback


def _store(generated: GeneratedFile, response: HttpResponseBase) -> tuple[str, str, str, int]:
    if response.status_code != 200:
        raise ValueError(f"the file function answered {response.status_code}")
    filename = attachment_name(response, generated.label)
    extension = os.path.splitext(filename)[1][:10]
    name = f"generated/{generated.code}{extension}"
    if default_storage.exists(name):  # an interrupted run's blob: this run writes it anew
        default_storage.delete(name)
    if isinstance(response, FileResponse) and hasattr(response, "file_to_stream"):
        stored = default_storage.save(name, File(response.file_to_stream))
    else:
        stored = default_storage.save(name, ContentFile(response.content))  # type: ignore[attr-defined]
    content_type = response.get("Content-Type", "application/octet-stream")
    return stored, filename[:200], content_type[:100], default_storage.size(stored)


def _finish(
    generated: GeneratedFile,
    run_id: str,
    status: str,
    *,
    fault: Exception | None = None,
    **fields: Any,
) -> str:
    with transaction.atomic():
        current = GeneratedFile.objects.select_for_update().get(pk=generated.pk)
        if current.claimed_by != run_id or current.status != FileStatus.RUNNING:
            return "superseded"
        FILE_TRANSITIONS.move(current, status)
        for name, value in fields.items():
            setattr(current, name, value)
        current.error = f"{type(fault).__name__}: {fault}"[:2000] if fault else ""
        if status == FileStatus.READY:
            current.done = max(current.done, current.total)
        current.finished_at = timezone.now()
        current.claimed_by, current.claimed_until = "", None
        current.payload, current.payload_mac = b"", ""  # the call is no longer needed
        current.save()
        _audit_finish(current, fault)
        notify(
            [current.owner],
            code=READY_NOTICE if status == FileStatus.READY else FAILED_NOTICE,
            params={"label": current.label},
            link=reverse("downloads:detail", kwargs={"code": current.code}),
        )
    return str(status)


def _audit(generated: GeneratedFile, code: str, **data: Any) -> None:
    """The worker's moves are the platform's own act: recorded by the system actor."""
    log_action(system_actor(), generated, code, data=data)


def _audit_finish(generated: GeneratedFile, fault: Exception | None) -> None:
    started, finished = generated.started_at, generated.finished_at
    seconds = round((finished - started).total_seconds(), 1) if started and finished else None
    if fault is None:
        _audit(
            generated,
            "downloads.file.built",
            rows=generated.done,
            size=generated.size,
            seconds=seconds,
        )
    else:
        # The exception's type only: its message may quote the rows (names, phone numbers),
        # and the trace is in the worker's log.
        _audit(
            generated,
            "downloads.file.failed",
            rows=generated.done,
            error=type(fault).__name__,
            seconds=seconds,
        )


# Keeping and removing ---------------------------------------------------------------------

EXPIRABLE = (FileStatus.READY, FileStatus.FAILED)


def expire(actor: Actor, *, now: datetime.datetime | None = None) -> int:
    """Remove the blobs of files finished more than ``GENERATED_FILE_DAYS`` ago; the rows stay,
    marked expired. Returns how many expired."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.GENERATED_FILE_DAYS)
    old = GeneratedFile.objects.filter(status__in=EXPIRABLE, finished_at__lt=cutoff)
    return sum(_expire_one(actor, pk) for pk in list(old.values_list("pk", flat=True)))


def _expire_one(actor: Actor, file_id: int) -> bool:
    with transaction.atomic():
        generated = GeneratedFile.objects.select_for_update().filter(pk=file_id).first()
        if generated is None or generated.status not in EXPIRABLE:
            return False  # another run of the command expired it first
        blob = generated.storage_name
        FILE_TRANSITIONS.move(generated, FileStatus.EXPIRED)
        generated.storage_name = ""
        generated.save(update_fields=["status", "storage_name"])
        log_action(actor, generated, "downloads.file.expired", data={"size": generated.size})
        if blob:
            # Only once the row says expired: a rolled-back move keeps a downloadable file.
            transaction.on_commit(lambda: default_storage.delete(blob), robust=True)
    return True


def sweep() -> int:
    """Re-queue files queued well past their time and held by no live claim: their task was
    lost (a crash between commit and enqueue)."""
    now = timezone.now()
    late = now - datetime.timedelta(seconds=SWEEP_GRACE_SECONDS)
    ids = list(
        GeneratedFile.objects.filter(status=FileStatus.QUEUED, created_at__lte=late).values_list(
            "pk", flat=True
        )[:1000]
    )
    for file_id in ids:
        enqueue(file_id)
    return len(ids)
