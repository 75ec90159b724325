"""API matrix rows of the awards notice part (joined in test_api_matrix). A shortlist of the
world's body with its first entry on an open notice; an objection to it. City staff act; body
admins read their own (another body's objection is not there: 404); managers and reviewers
are refused; the public routes answer everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect

STAFF = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)
OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404)
CITY_ACTS = expect(403, anonymous=AUTH, city_admin=200, outsider=404)


def _setup(w: Any) -> Any:
    from tests import factories_awards as fa
    from tests import notice_builders as nb

    s = nb.shortlist(w.body, per_body=4)
    n = fa.notice(s)
    first = n.items.get(position=1)
    return s, n, first


def _shortlist(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)[0].code}


def _entry(w: Any) -> dict[str, Any]:
    from tests import notice_builders as nb

    s = nb.shortlist(w.body, per_body=2)
    return {"code": s.code, "entry_id": nb.listed(s).pk}


def _inspected(w: Any) -> dict[str, Any]:
    """A shortlist whose two listed entries passed inspection, on no notice yet."""
    from tests import notice_builders as nb

    s = nb.shortlist(w.body, per_body=4)
    w._api_notice_entries = list(s.entries.filter(status="listed"))
    for e in w._api_notice_entries:
        nb.passed(e, w.users["city_admin"])
    return {"code": s.code}


def _notice(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)[1].code, "position": 1}


def _objection(w: Any) -> dict[str, Any]:
    from tests import notice_builders as nb

    return {"objection_id": nb.objection(_setup(w)[2]).pk}


def _tracking(w: Any) -> dict[str, Any]:
    from tests import notice_builders as nb

    return {"tracking_code": nb.objection(_setup(w)[2]).code}


ROWS = [
    ApiRow("get", "/awards/shortlists/{code}/inspections", STAFF, params=_shortlist),
    ApiRow(
        "post",
        "/awards/shortlists/{code}/inspections/{entry_id}",
        expect(403, anonymous=AUTH, city_admin=201, outsider=404),
        params=_entry,
        body=lambda w, r: {
            "visited_on": timezone.localdate().isoformat(),
            "inspectors": "张三",
            "findings": "符合条件。",
            "outcome": "failed",
            "reason": "台账与实际不符。",
        },
    ),
    ApiRow(
        "post",
        "/awards/shortlists/{code}/notices",
        expect(403, anonymous=AUTH, city_admin=201),
        params=_inspected,
        body=lambda w, r: {
            "heading": "拟认定名单公示",
            "intro": "现予公示。",
            "contact": "0760-88318315",
            "items": [{"entry_id": e.pk, "summary": "简介"} for e in w._api_notice_entries],
        },
    ),
    ApiRow("get", "/awards/notices", expect(200)),
    ApiRow("get", "/awards/notices/{code}", expect(200), params=_notice),
    ApiRow(
        "post",
        "/awards/notices/{code}/items/{position}/objections",
        expect(201),
        params=_notice,
        body=lambda w, r: {
            "contact_name": "王五",
            "contact_phone": "13800138000",
            "text": "服务窗口长期无人值守。",
        },
    ),
    # An unknown position on a real notice is not there.
    ApiRow(
        "post",
        "/awards/notices/{code}/items/{position}/objections",
        expect(404),
        params=lambda w: {**_notice(w), "position": 99},
        body=lambda w, r: {"contact_name": "王五", "contact_phone": "13800138000", "text": "x"},
        label="unknown item",
    ),
    ApiRow("get", "/awards/objections/track/{tracking_code}", expect(200), params=_tracking),
    ApiRow("get", "/awards/objections", STAFF),
    ApiRow("get", "/awards/objections/{objection_id}", OWN, params=_objection),
    ApiRow(
        "post",
        "/awards/objections/{objection_id}/assign",
        CITY_ACTS,
        params=_objection,
        body=lambda w, r: {"handler_id": w.users["city_admin"].pk},
    ),
    ApiRow(
        "post",
        "/awards/objections/{objection_id}/decide",
        CITY_ACTS,
        params=_objection,
        body=lambda w, r: {
            "outcome": "upheld",
            "findings": "属实",
            "public_reason": "经核查属实。",
        },
    ),
]
