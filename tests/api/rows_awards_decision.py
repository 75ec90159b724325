"""API matrix rows of the awards decision part (joined in test_api_matrix). A shortlist of the
body ready for the decision (one entry already decided, with its certificate) is built on
first use; deciding the next entry is the city's alone."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_decision"):
        from django.utils import timezone

        from qnwmh.awards.services import decision
        from tests import factories as f
        from tests.decision_helpers import listed_ids, ready_shortlist

        s = ready_shortlist([w.body], per_body=4)
        ids = listed_ids(s)
        done = decision.decide(
            f.actor(w.users["city_admin"]),
            s,
            ids[:1],
            document_no="中青联〔2026〕1号",
            decided_on=timezone.localdate(),
        )
        w._api_shortlist, w._api_decision, w._api_next = s, done.decision, ids[1]
        w._api_cert = done.certificates[0]
    return w


def S(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_shortlist.code}


def D(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_decision.code}


def C(w: Any) -> dict[str, Any]:
    return {"number": _setup(w)._api_cert.number}


def _decide(w: Any, role: str) -> dict[str, Any]:
    return {
        "document_no": "中青联〔2026〕2号",
        "decided_on": "2026-11-30",
        "entries": [w._api_next],
    }


READ = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)
CITY = expect(403, anonymous=AUTH, city_admin=200)
OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404)

ROWS = [
    ApiRow("get", "/awards/shortlists/{code}/audit", CITY, params=S),
    ApiRow(
        "post",
        "/awards/shortlists/{code}/decisions",
        expect(403, anonymous=AUTH, city_admin=201),
        params=S,
        body=_decide,
    ),
    ApiRow("get", "/awards/decisions", expect(200, anonymous=AUTH)),
    ApiRow("get", "/awards/decisions/{code}", READ, params=D),
    ApiRow("get", "/awards/certificates", READ),
    ApiRow("get", "/awards/certificates/{number}", OWN, params=C),
    ApiRow(
        "get", "/awards/certificates/{number}/pdf", OWN, params=C, content_type="application/pdf"
    ),
    ApiRow("get", "/awards/verify/{number}", expect(200), params=C),
]
