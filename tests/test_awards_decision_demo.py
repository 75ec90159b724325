"""The decision's demo builder: it decides the shortlist it is given through the service and
gives every other active title a certificate, so every verify answers."""

from __future__ import annotations

import pytest

from qnwmh.awards.demo import decision as demo
from qnwmh.awards.models import Certificate, EntryStatus
from qnwmh.awards.selectors.certificates import CertificateVerdict, verify_certificate
from qnwmh.collectives.models import Level, Title
from qnwmh.core.actor import Role
from qnwmh.core.demo_context import DemoContext
from tests import factories as f
from tests.decision_helpers import ready_shortlist

pytestmark = pytest.mark.django_db


def test_demo_decides_the_shortlist_and_certifies_every_active_title() -> None:
    s = ready_shortlist([f.body(), f.body()], per_body=4)
    old = f.title(f.collective(f.body()))
    ctx = DemoContext()
    ctx.users["city_admin"] = f.user(None, Role.CITY_ADMIN, organisation=f.city())
    ctx.extra["awards_shortlist"] = s
    demo.build(ctx)
    assert s.entries.filter(status=EntryStatus.DECIDED).count() == 4
    assert ctx.extra["awards_decision"].entries.count() == 4
    for title in Title.objects.active().filter(level=Level.CITY):
        cert = Certificate.objects.get(title=title, superseded_at__isnull=True)
        assert verify_certificate(cert.number).verdict == CertificateVerdict.VALID
    assert Certificate.objects.get(title=old).issued_on == old.awarded_on


def test_demo_without_a_shortlist_still_certifies_titles() -> None:
    f.title(f.collective(f.body()))
    ctx = DemoContext()
    ctx.users["city_admin"] = f.user(None, Role.CITY_ADMIN, organisation=f.city())
    demo.build(ctx)
    assert Certificate.objects.count() == Title.objects.active().count() == 1
