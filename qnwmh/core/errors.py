"""Domain errors: a broken business rule, with a message meant for the user."""

from __future__ import annotations

from django.http import Http404
from django.utils.functional import Promise


class DomainError(Exception):
    """Raised by a service when a rule forbids the change. Views show ``message``."""

    def __init__(self, message: str | Promise, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotFound(Http404):
    """A 404 whose message the visitor should read: a lookup that found nothing says so
    plainly ("no complaint has this tracking code") instead of a bare "page not found"."""

    def __init__(self, message: str | Promise):
        super().__init__(str(message))
        self.message = message
