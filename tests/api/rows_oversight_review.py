"""API matrix rows of the oversight review part. A campaign over the world's title (its case
self-reported) and a standard for another year are built on first use: the city runs the
campaign and decides, the bodies read (the outsider not this case), the collective's manager
reads and self-reports its case, the reviewer reaches nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_review"):
        from qnwmh.oversight.models import CaseStatus
        from tests import factories_oversight as fo

        w._api_review = fo.review([w.title], year=2030)
        w._api_case = w._api_review.cases.get()
        w._api_case.status = CaseStatus.SELF_REPORTED
        w._api_case.save()
        w._api_standard = fo.standard(2031)
    return w


def _review(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_review.code}


def _case(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_case.code}


def _scores(w: Any, source: str) -> list[dict[str, Any]]:
    items = _setup(w)._api_review.standard.items.filter(source=source)
    return [{"item": i.id, "points": i.points} for i in items]


def _open(w: Any, role: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "year": 2031,
        "standard_code": _setup(w)._api_standard.code,
        "self_report_due": (today + datetime.timedelta(days=7)).isoformat(),
        "assessment_due": (today + datetime.timedelta(days=14)).isoformat(),
    }


R = "/oversight/reviews/{code}"
C = "/oversight/review-cases/{code}"
SEE = expect(200, anonymous=AUTH, manager=403, reviewer=403)
SEE_CASE = expect(200, anonymous=AUTH, outsider=404, reviewer=404)
CITY_ON_CASE = expect(403, anonymous=AUTH, city_admin=200, outsider=404, reviewer=404)

ROWS = [
    ApiRow("get", "/oversight/reviews", SEE),
    ApiRow(
        "post",
        "/oversight/reviews",
        expect(403, anonymous=AUTH, city_admin=201),
        body=_open,
    ),
    ApiRow("get", R, SEE, params=_review),
    ApiRow("get", R + "/cases", SEE, params=_review),
    ApiRow(
        "post",
        R + "/close",
        # The case is still open: the city is told so (400).
        expect(403, anonymous=AUTH, city_admin=400),
        params=_review,
        body=lambda w, r: {"note": ""},
    ),
    ApiRow("get", C, SEE_CASE, params=_case),
    ApiRow(
        "post",
        C + "/self-report",
        expect(403, anonymous=AUTH, manager=200, outsider=404, reviewer=404),
        params=_case,
        body=lambda w, r: {"scores": _scores(w, "self")},
    ),
    ApiRow(
        "post",
        C + "/assess",
        expect(403, anonymous=AUTH, body_admin=200, outsider=404, reviewer=404),
        params=_case,
        body=lambda w, r: {"scores": _scores(w, "body")},
    ),
    ApiRow(
        "post",
        C + "/decide",
        # Not yet assessed: the city is told so (400).
        expect(403, anonymous=AUTH, city_admin=400, outsider=404, reviewer=404),
        params=_case,
        body=lambda w, r: {"outcome": "pass", "reason": "合格"},
    ),
    ApiRow(
        "post",
        C + "/force",
        CITY_ON_CASE,
        params=_case,
        body=lambda w, r: {"outcome": "pass", "reason": "核查合格"},
    ),
]
