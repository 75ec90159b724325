"""The annual re-review. A campaign over the world's title (its case self-reported) and a
standard for next year are built on first use. The city runs the campaign and decides; the
bodies read every campaign and their own cases (the outsider body not this case: 404); the
collective's manager reads and self-reports its case and has "我的复核"; the reviewer reaches
nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_review"):
        from qnwmh.oversight.models import CaseStatus
        from tests import factories_oversight as fo

        w._review = fo.review([w.title], year=2030)
        w._case = w._review.cases.get()
        w._case.status = CaseStatus.SELF_REPORTED
        w._case.save()
        w._next_standard = fo.standard(2031)
    return w


def R(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._review.code}


def C(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._case.code}


def _scores(w: Any, source: str) -> dict[str, Any]:
    items = _setup(w)._review.standard.items.filter(source=source)
    return {f"score_{i.id}": i.points for i in items}


def OPEN(w: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "year": 2031,
        "standard": _setup(w)._next_standard.pk,
        "self_report_due": (today + datetime.timedelta(days=7)).isoformat(),
        "assessment_due": (today + datetime.timedelta(days=14)).isoformat(),
        "note": "",
    }


SEE = expect(200, anonymous=LOGIN, manager=403, reviewer=403)
CITY_PAGE = expect(403, anonymous=LOGIN, city_admin=200)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302)
SEE_CASE = expect(200, anonymous=LOGIN, outsider=404, reviewer=404)
DECIDE = expect(403, anonymous=LOGIN, city_admin=302, outsider=404, reviewer=404)

ROWS = [
    Row("oversight:reviews", SEE, permission="oversight.view"),
    Row("oversight:review_open", CITY_PAGE, permission="oversight.manage"),
    Row(
        "oversight:review_open",
        CITY_POST,
        method="post",
        data=OPEN,
        permission="oversight.manage",
    ),
    Row("oversight:review", SEE, kwargs=R, permission="oversight.view"),
    Row("oversight:review_cases", SEE, kwargs=R, permission="oversight.view"),
    Row("oversight:review_cases_export", SEE, kwargs=R, permission="oversight.view"),
    Row("oversight:review_close", CITY_PAGE, kwargs=R, permission="oversight.manage"),
    Row(
        "oversight:review_close",
        CITY_POST,
        kwargs=R,
        method="post",
        data=lambda w: {"note": "", "confirmed": "1"},
        permission="oversight.manage",
    ),
    Row("oversight:review_case", SEE_CASE, kwargs=C, permission="oversight.view_case"),
    Row(
        "oversight:review_self_report",
        expect(403, anonymous=LOGIN, outsider=404, reviewer=404, manager=302),
        kwargs=C,
        method="post",
        data=lambda w: _scores(w, "self"),
        permission="oversight.self_report",
    ),
    Row(
        "oversight:review_assess",
        expect(403, anonymous=LOGIN, outsider=404, reviewer=404, body_admin=302),
        kwargs=C,
        method="post",
        data=lambda w: _scores(w, "body"),
        permission="oversight.assess",
    ),
    Row(
        "oversight:review_decide",
        DECIDE,
        kwargs=C,
        method="post",
        data=lambda w: {"outcome": "pass", "reason": "合格", "confirmed": "1"},
        permission="oversight.manage",
    ),
    Row(
        "oversight:review_force",
        DECIDE,
        kwargs=C,
        method="post",
        data=lambda w: {"outcome": "pass", "reason": "核查合格", "confirmed": "1"},
        permission="oversight.manage",
    ),
    Row(
        "oversight:my_reviews",
        expect(403, anonymous=LOGIN, manager=200),
        permission="oversight.my_reviews",
    ),
]
