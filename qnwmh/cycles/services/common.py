"""Helpers shared by the cycle services: links for notices, the reason a move needs."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from qnwmh.core.errors import DomainError
from qnwmh.cycles.models import (
    Cycle,
    Registration,
)

DATE_FIELDS = (
    "registration_opens_on",
    "registration_closes_on",
    "creation_ends_on",
    "certification_starts_on",
    "certification_ends_on",
)


def _cycle_url(cycle: Cycle) -> str:
    return reverse("cycles:detail", args=[cycle.code])


def _registration_url(reg: Registration) -> str:
    return reverse("cycles:registration_detail", args=[reg.cycle.code, reg.code])


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因。"), field="reason")
    return reason
