"""The decision through the API: the audit list, deciding (and a refusal in Chinese with
nothing changed), certificates and their PDF, and the public verification by number."""

from __future__ import annotations

import pytest

from qnwmh.awards.models import EntryStatus
from tests import factories as f
from tests.api.helpers import ApiClient, api_token
from tests.decision_helpers import listed_ids, ready_shortlist
from tests.qr_helpers import qr_codes_in_pdf

pytestmark = pytest.mark.django_db


def test_audit_decide_and_read_back_through_the_api() -> None:
    b = f.body()
    s = ready_shortlist([b], per_body=6, listed=4)  # 4 listed, cap 3
    api = ApiClient(api_token(s.frozen_by)[1])
    audit = api.get(f"/awards/shortlists/{s.code}/audit").json()
    assert audit["bodies"][0]["cap"] == 3
    assert [e["ready"] for e in audit["entries"]] == [True] * 4
    ids = listed_ids(s)
    over = api.post(
        f"/awards/shortlists/{s.code}/decisions",
        {"document_no": "一号", "decided_on": "2026-11-30", "entries": ids},
    )
    assert over.status_code == 400 and "认定名额上限为 3 个" in over.json()["detail"]
    assert not s.entries.filter(status=EntryStatus.DECIDED).exists()
    made = api.post(
        f"/awards/shortlists/{s.code}/decisions",
        {"document_no": "一号", "decided_on": "2026-11-30", "entries": ids[:3]},
    )
    assert made.status_code == 201
    body = made.json()
    assert len(body["certificates"]) == 3
    number = body["certificates"][0]["number"]
    assert api.get(f"/awards/decisions/{body['code']}").json()["document_no"] == "一号"
    listing = api.get("/awards/certificates", current=True).json()
    assert listing["count"] == 3
    answer = api.get(f"/awards/certificates/{number}/pdf")
    assert answer["Content-Type"] == "application/pdf"
    pdf = answer.content
    assert qr_codes_in_pdf(pdf) == [f"http://testserver/verify/{number}/"]
    anonymous = ApiClient(None)
    assert anonymous.get(f"/awards/verify/{number}").json()["verdict"] == "cert_valid"
    assert anonymous.get("/awards/verify/ZS2026999999A").json()["verdict"] == "cert_unknown"


def test_a_manager_lists_only_the_decisions_naming_their_collective() -> None:
    from django.utils import timezone

    from qnwmh.awards.services import decision as service
    from qnwmh.core.actor import Role

    s = ready_shortlist([f.body()], per_body=4)
    first, second = listed_ids(s)
    city = f.actor(s.frozen_by)
    mine = service.decide(city, s, [first], document_no="一号", decided_on=timezone.localdate())
    service.decide(city, s, [second], document_no="二号", decided_on=timezone.localdate())
    collective = s.entries.get(pk=first).collective
    manager = f.user(None, Role.COLLECTIVE_MANAGER, collective=collective)
    listing = ApiClient(api_token(manager)[1]).get("/awards/decisions").json()
    assert [d["code"] for d in listing["results"]] == [mine.decision.code]
    other = f.user(None, Role.COLLECTIVE_MANAGER, collective=f.collective(f.body()))
    assert ApiClient(api_token(other)[1]).get("/awards/decisions").json()["count"] == 0
