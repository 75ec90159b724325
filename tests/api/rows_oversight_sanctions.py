"""API matrix rows of the oversight sanctions part, on the world's city title: the city and
the bodies over the collective read sanctions (another body's answer 404); bodies propose, the
city imposes, confirms and withdraws. Rectification orders and a title's history are read by
the collective's managers too, who alone report."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect

STAFF = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)
OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404)
CITY = expect(403, anonymous=AUTH, city_admin=200, outsider=404)
FOLLOW = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, manager=200)
FOLLOW_OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404, manager=200)


def _sanction(w: Any) -> dict[str, Any]:
    from tests import factories_oversight as fo

    return {"code": fo.sanction(w.title).code}


def _proposal(w: Any) -> dict[str, Any]:
    from qnwmh.oversight.models import SanctionStatus
    from tests import factories_oversight as fo

    return {"code": fo.sanction(w.title, status=SanctionStatus.PROPOSED).code}


def _ordered(w: Any) -> dict[str, Any]:
    from tests import factories_oversight as fo

    return {"code": fo.rectification(w.title).code}


def _reported(w: Any) -> dict[str, Any]:
    from qnwmh.oversight.models import RectificationStatus
    from tests import factories_oversight as fo

    r = fo.rectification(w.title, status=RectificationStatus.REPORTED, report="已整改。")
    return {"code": r.code}


def _warning(w: Any, role: str) -> dict[str, Any]:
    return {"title_code": w.title.code, "kind": "warning", "basis": "other", "reason": "服务差。"}


ROWS = [
    ApiRow("get", "/oversight/sanctions", STAFF),
    ApiRow("get", "/oversight/sanctions/{code}", OWN, params=_sanction),
    ApiRow(
        "post",
        "/oversight/sanctions/propose",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201, outsider=404),
        body=_warning,
    ),
    ApiRow(
        "post",
        "/oversight/sanctions/impose",
        expect(403, anonymous=AUTH, city_admin=201, outsider=404),
        body=_warning,
    ),
    # The ladder refuses a revocation without a grave category as the first step.
    ApiRow(
        "post",
        "/oversight/sanctions/impose",
        expect(403, anonymous=AUTH, city_admin=400, outsider=404),
        body=lambda w, r: {**_warning(w, r), "kind": "revocation", "category": "ladder"},
        label="off the ladder",
    ),
    ApiRow(
        "post",
        "/oversight/sanctions/{code}/confirm",
        CITY,
        params=_proposal,
        body=lambda w, r: {"note": "同意。"},
    ),
    ApiRow(
        "post",
        "/oversight/sanctions/{code}/withdraw",
        CITY,
        params=_proposal,
        body=lambda w, r: {"note": "证据不足。"},
    ),
    ApiRow("get", "/oversight/rectifications", FOLLOW),
    ApiRow("get", "/oversight/rectifications/{code}", FOLLOW_OWN, params=_ordered),
    ApiRow(
        "post",
        "/oversight/rectifications",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201, outsider=404),
        body=lambda w, r: {
            "title_code": w.title.code,
            "basis": "spot_check",
            "requirements": "补齐创建台账。",
        },
    ),
    ApiRow(
        "post",
        "/oversight/rectifications/{code}/report",
        expect(403, anonymous=AUTH, outsider=404, manager=200),
        params=_ordered,
        body=lambda w, r: {"text": "已整改完毕。"},
    ),
    ApiRow(
        "post",
        "/oversight/rectifications/{code}/verify",
        expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404),
        params=_reported,
        body=lambda w, r: {"passed": True},
    ),
    ApiRow(
        "get",
        "/oversight/titles/{code}/history",
        FOLLOW_OWN,
        params=lambda w: {"code": w.title.code},
    ),
]
