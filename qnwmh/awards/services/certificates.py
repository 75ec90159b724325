"""Issuing certificates: a new number per certificate, the title's previous certificate marked
superseded (never deleted). Used by the decision, and for titles from before the platform."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qnwmh.audit.services import log_action
from qnwmh.awards.certificate_numbers import number_for
from qnwmh.awards.models import Certificate, Decision
from qnwmh.collectives.models import Level, Title, TitleStatus
from qnwmh.core.actor import Actor
from qnwmh.core.codes import new_code
from qnwmh.core.errors import DomainError
from qnwmh.core.permissions import require


def issue(title: Title, *, on: datetime.date, decision: Decision | None = None) -> Certificate:
    """Inside the caller's transaction (the caller audits the act it is part of)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue() must run inside the caller's transaction")
    Certificate.objects.filter(title=title, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    # The serial is the row's id, known only once inserted: a placeholder first.
    cert = Certificate.objects.create(
        number=f"TMP{new_code(12)}",
        title=title,
        decision=decision,
        stars=title.stars,
        issued_on=on,
    )
    cert.number = number_for(on.year, cert.pk)
    cert.save(update_fields=["number"])
    return cert


@transaction.atomic
def issue_for_title(actor: Actor, *, title: Title, on: datetime.date | None = None) -> Certificate:
    """A certificate for an active title awarded outside a decision (before the platform, or
    reissued after a star change made elsewhere). Only city titles: the province and the
    nation print their own."""
    require(actor, "awards.issue_certificate", title.collective)
    if title.status != TitleStatus.ACTIVE:
        raise DomainError(_("只有有效的称号才能发放证书。"))
    if title.level != Level.CITY:
        raise DomainError(_("本平台只为市级称号发放证书。"))
    cert = issue(title, on=on or timezone.localdate())
    log_action(
        actor, cert, "awards.certificate.issued", data={"number": cert.number, "title": title.pk}
    )
    return cert
