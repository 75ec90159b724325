"""Storing evidence files. Other apps call one function:

    from qnwmh.evidence.services import store_upload

    evidence = store_upload(
        actor,
        uploaded_file=request.FILES["photo"],   # any Django File / UploadedFile
        collective=collective,                  # owner collective, or None
        body=None,                              # owner body when there is no collective
        purpose="creation.log",                 # which app and use; scopes visibility hooks
    )                                           # -> EvidenceFile (saved), or DomainError

It checks ``evidence.upload`` (see ``rules.py``; purposes in ``PUBLIC_UPLOAD_PURPOSES`` may
be uploaded by anyone), enforces the per-file and per-collective size limits from
``ProgrammeRules`` (``evidence_max_file_mb``, ``evidence_max_collective_mb``; a body's own
files share the per-collective figure), decides the type by content (``validation.check``),
re-encodes images without any metadata, stores the result under a random name through
Django's storage API, records SHA-256 of what was uploaded and of what was kept, flags an
identical earlier upload in ``duplicate_of``, and writes one audit entry. Refusals raise
``DomainError`` with a Chinese message; nothing of a refused file is stored.

Call it inside your own ``transaction.atomic()`` service: the row then commits or rolls back
with your record. Files are written to storage only when the transaction commits
(``transaction.on_commit``), so a rolled-back upload leaves no blob without its row. A caller
taking several files at once checks them all first with ``prepare_upload`` (type, extension,
pixel cap: nothing decoded, nothing stored) and then stores each with ``store_prepared``;
``store_upload`` is the two in one. Files are shown with
``{% include "evidence/_files.html" %}`` and served by ``evidence:file`` / ``evidence:thumb``,
which check scope.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.core.actor import Actor
from qnwmh.core.errors import DomainError
from qnwmh.core.locking import lock
from qnwmh.core.permissions import require
from qnwmh.core.storage import opaque_name, write_on_commit
from qnwmh.evidence import validation
from qnwmh.evidence.models import EvidenceFile
from qnwmh.evidence.rules import UploadTarget
from qnwmh.evidence.selectors import body_usage_bytes, collective_usage_bytes
from qnwmh.programme.models import ProgrammeRules

MB = 1024 * 1024
CHUNK = 64 * 1024
UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def sanitise_name(raw: str) -> str:
    """A display name safe anywhere: no directories, no control or reserved characters, no
    leading dots, at most 100 characters (extension kept)."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = UNSAFE_NAME.sub("_", name).strip(" ._")
    name = re.sub(r"\s+", " ", name)
    if len(name) > 100:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 100 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:100]
    return name or "file"


def _spool(uploaded_file: Any, limit: int) -> tuple[IO[bytes], int, str]:
    """Copy the upload to a private temporary file, counting real bytes (the declared size is
    not trusted) and hashing as we go; stop as soon as the limit is passed."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * MB)  # noqa: SIM115
    digest = hashlib.sha256()
    size = 0
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks = (
        uploaded_file.chunks(CHUNK)
        if hasattr(uploaded_file, "chunks")
        else iter(lambda: uploaded_file.read(CHUNK), b"")
    )
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            spool.close()
            raise _too_big(limit)
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    return spool, size, digest.hexdigest()


def _too_big(limit: int) -> DomainError:
    return DomainError(
        _("文件过大：单个文件不能超过 %(mb)s MB。") % {"mb": limit // MB},
        code="evidence_refused",
        field="file",
    )


def _storage_name(extension: str, suffix: str = "") -> str:
    return opaque_name(f"evidence/{timezone.now():%Y/%m}", extension, suffix)


@dataclass
class PreparedUpload:
    """An upload that passed the cheap checks (permission, size, type, pixel cap) and is
    spooled privately; nothing decoded, nothing stored. Pass it to ``store_prepared`` or
    ``close()`` it."""

    collective: Any
    body: Any
    purpose: str
    name: str
    size: int
    sha256: str
    spool: IO[bytes]
    fmt: str  # as sniffed from the content: "jpeg", "png", "webp", "heic", "video", "pdf"
    rules: ProgrammeRules = field(repr=False)

    def close(self) -> None:
        self.spool.close()


def prepare_upload(
    actor: Actor,
    *,
    uploaded_file: Any,
    collective: Any = None,
    purpose: str,
    body: Any = None,
) -> PreparedUpload:
    if collective is None and body is None:
        raise ValueError("store_upload needs a collective or a body")
    if collective is not None:
        body = collective.body
    require(actor, "evidence.upload", UploadTarget(collective, body, purpose))
    rules = ProgrammeRules.current()
    file_limit = rules.evidence_max_file_mb * MB
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > file_limit:
        raise _too_big(file_limit)
    name = sanitise_name(getattr(uploaded_file, "name", "") or "")
    spool, size, sha = _spool(uploaded_file, file_limit)
    try:
        if size == 0:
            raise DomainError(_("文件是空的。"), code="evidence_refused", field="file")
        fmt = validation.precheck(spool, name=name)
    except BaseException:
        spool.close()
        raise
    return PreparedUpload(collective, body, purpose, name, size, sha, spool, fmt, rules)


@transaction.atomic
def store_prepared(actor: Actor, prepared: PreparedUpload) -> EvidenceFile:
    """Decode, clean and keep a prepared upload (see ``store_upload``)."""
    collective, body, rules, spool = (
        prepared.collective,
        prepared.body,
        prepared.rules,
        prepared.spool,
    )
    keep_spool = False
    try:
        checked = validation.check(spool, name=prepared.name, size=prepared.size)
        if checked.content is not None:
            stored_size = len(checked.content)
            stored_sha = hashlib.sha256(checked.content).hexdigest()
        else:
            stored_size = prepared.size
            stored_sha = _hash_stream(spool)

        # Lock the owner so two uploads cannot both fit under the total limit.
        from qnwmh.collectives.models import Collective
        from qnwmh.orgs.models import Organisation

        total_limit = rules.evidence_max_collective_mb * MB
        if collective is not None:
            lock(Collective, collective.pk)
            used = collective_usage_bytes(collective.pk)
        else:
            lock(Organisation, body.pk)
            used = body_usage_bytes(body.pk)
        if used + stored_size > total_limit:
            raise DomainError(
                _("佐证文件总量已达上限（%(mb)s MB），无法继续上传。请联系组织管理机构。")
                % {"mb": rules.evidence_max_collective_mb},
                code="evidence_refused",
                field="file",
            )

        storage_name = _storage_name(checked.extension)
        if checked.content is not None:
            write_on_commit(storage_name, checked.content)
        else:
            write_on_commit(storage_name, spool)
            keep_spool = True  # closed once written
        thumbnail_name = ""
        if checked.thumbnail is not None:
            thumbnail_name = _storage_name(".jpg", "_t")
            write_on_commit(thumbnail_name, checked.thumbnail)
    finally:
        if not keep_spool:
            spool.close()

    sha, size, name, purpose = prepared.sha256, prepared.size, prepared.name, prepared.purpose
    original = EvidenceFile.objects.filter(sha256=sha).order_by("id").first()
    evidence = EvidenceFile.objects.create(
        collective=collective,
        body=body,
        purpose=purpose[:40],
        kind=checked.kind,
        content_type=checked.content_type,
        size=size,
        sha256=sha,
        stored_sha256=stored_sha,
        stored_size=stored_size,
        storage_name=storage_name,
        thumbnail_name=thumbnail_name,
        width=checked.width,
        height=checked.height,
        captured_at=checked.captured_at,
        original_name=name,
        uploaded_by=actor.user,
        duplicate_of=original,
    )
    log_action(
        actor,
        evidence,
        "evidence.file.stored",
        data={
            "purpose": purpose,
            "kind": checked.kind,
            "size": size,
            "sha256": sha,
            "collective": collective.code if collective is not None else None,
            "duplicate_of": original.code if original is not None else None,
        },
    )
    return evidence


@transaction.atomic
def store_upload(
    actor: Actor,
    *,
    uploaded_file: Any,
    collective: Any = None,
    purpose: str,
    body: Any = None,
) -> EvidenceFile:
    prepared = prepare_upload(
        actor, uploaded_file=uploaded_file, collective=collective, purpose=purpose, body=body
    )
    return store_prepared(actor, prepared)


def store_uploads(
    actor: Actor,
    uploads: Sequence[Any],
    *,
    collective: Any,
    purpose: str,
    field: str = "files",
    max_files: int | None = None,
) -> list[EvidenceFile]:
    """Several files of one form: every one through the checks (type by content, size) before
    any is stored, so a bad third file stores none; a refusal names the form's ``field``.
    Written to storage when the caller's transaction commits."""
    if max_files is not None and len(uploads) > max_files:
        raise DomainError(_("最多上传 %(n)s 个文件。") % {"n": max_files}, field=field)
    prepared: list[PreparedUpload] = []
    try:
        for upload in uploads:
            try:
                prepared.append(
                    prepare_upload(
                        actor, uploaded_file=upload, collective=collective, purpose=purpose
                    )
                )
            except DomainError as exc:
                raise DomainError(exc.message, code=exc.code, field=field) from None
        return [store_prepared(actor, item) for item in prepared]
    finally:
        for item in prepared:
            item.close()


def _hash_stream(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
