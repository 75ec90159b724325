"""Writing files so that none outlives a rolled-back transaction.

``write_on_commit(name, content)`` writes ``content`` to the default storage under ``name``
once the current transaction commits, and not at all if it rolls back: a row that names a
file and the file itself appear together, and a refused or failed request leaves no blob
without its row. The caller chooses ``name`` (random, see ``opaque_name``) and stores it in
its row right away."""

from __future__ import annotations

import secrets
from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction


def opaque_name(folder: str, extension: str, suffix: str = "") -> str:
    """``folder/<32 random hex digits><suffix><extension>``: nothing of the uploader's name."""
    return f"{folder.rstrip('/')}/{secrets.token_hex(16)}{suffix}{extension}"


def write_on_commit(name: str, content: bytes | IO[bytes]) -> None:
    """Write ``content`` under ``name`` when the current transaction commits. A file-like
    ``content`` is closed once written (or dropped with the transaction)."""

    def write() -> None:
        try:
            if not isinstance(content, bytes):
                content.seek(0)
            body: File[Any] = ContentFile(content) if isinstance(content, bytes) else File(content)
            saved = default_storage.save(name, body)
            if saved != name:  # 128 random bits: a collision means something is very wrong
                raise RuntimeError(f"storage renamed {name} to {saved}")
        finally:
            if not isinstance(content, bytes):
                content.close()

    transaction.on_commit(write, robust=True)
