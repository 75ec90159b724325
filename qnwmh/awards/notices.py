"""Who is told about awards, and what (bell + e-mail through ``notices.notify``), called from
the services with ``transaction.on_commit``. Registered in AwardsConfig.ready."""

from __future__ import annotations

from django.utils.functional import Promise

from qnwmh.notices.messages import register

KINDS: dict[str, Promise] = {}


def register_kinds() -> None:
    for kind, text in KINDS.items():
        register(kind, text)
