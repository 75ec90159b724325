"""The decision's pages. A decided shortlist of the world's body (certificates included) and a
certificate for the world's title are built on first use. The audit is the city's alone;
decisions and certificates are read by the city and the bodies (a body's own certificates
only: another body's answer 404); collective managers and reviewers are refused."""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_decision"):
        from django.utils import timezone

        from qnwmh.awards.services import certificates, decision
        from tests import factories as f
        from tests.decision_helpers import listed_ids, ready_shortlist

        s = ready_shortlist([w.body], per_body=4)
        city = f.actor(w.users["city_admin"])
        done = decision.decide(
            city,
            s,
            listed_ids(s)[:1],
            document_no="中青联〔2026〕1号",
            decided_on=timezone.localdate(),
        )
        w._shortlist, w._decision = s, done.decision
        from django.db import transaction

        with transaction.atomic():
            w._cert = certificates.issue(w.title, on=timezone.localdate())
    return w


def S(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._shortlist.code}


def D(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._decision.code}


def C(w: Any) -> dict[str, Any]:
    return {"number": _setup(w)._cert.number}


READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
OWN = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200)
CITY = expect(403, anonymous=LOGIN, city_admin=200)
# A decision is loaded through its scoped selector first: for a role without the page's
# permission and no collective named in it, it does not exist (404).
DECISION = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)

ROWS = [
    Row("awards:decisions", READ, permission="awards.view"),
    Row("awards:audit", CITY, kwargs=S, permission="awards.decide"),
    Row("awards:audit", CITY, kwargs=S, method="post", permission="awards.decide"),
    Row("awards:decision", DECISION, kwargs=D, permission="awards.view"),
    Row("awards:naming_pdf", DECISION, kwargs=D, permission="awards.view"),
    Row("awards:naming_xlsx", DECISION, kwargs=D, permission="awards.view"),
    Row("awards:certificates", READ, permission="awards.view"),
    Row("awards:certificate", OWN, kwargs=C, permission="awards.view"),
    Row("awards:certificate_pdf", OWN, kwargs=C, permission="awards.view"),
    Row(
        "awards:body_certificates_pdf",
        OWN,
        kwargs=lambda w: {"code": w.body.code},
        permission="awards.view",
    ),
]
