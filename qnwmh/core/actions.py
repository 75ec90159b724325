"""One-shot POST actions: run the service, say how it went, and let the view redirect."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.utils.functional import Promise

from qnwmh.core.errors import DomainError


def attempt(request: HttpRequest, action: Callable[[], object], success: str | Promise) -> bool:
    """Run ``action`` (a service call); a broken rule (``DomainError``) becomes an error
    message, success the ``success`` message. Returns whether it succeeded."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, str(success))
    return True
