"""Words for audit action codes. Each app names the codes it writes in its own
``audit_labels.py`` as ``LABELS = {"app.model.verb": _("…")}``; this module gathers them
through ``qnwmh.core.plugins``, as ``core.nav`` gathers menu entries. A test scans every ``log_action`` call and fails on a
code without a label."""

from __future__ import annotations

from functools import cache
from typing import Any

from qnwmh.core.plugins import contributions


@cache
def all_labels() -> dict[str, Any]:
    labels: dict[str, Any] = {}
    for c in contributions("audit_labels", "LABELS"):
        labels.update(c.value)
    return labels


def action_label(code: str) -> str:
    """The action in words; an unknown code (written by an older version) shows as is."""
    label = all_labels().get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every labelled action, for the filter select, in code order so that
    one app's actions stay together."""
    return [(code, str(label)) for code, label in sorted(all_labels().items())]
