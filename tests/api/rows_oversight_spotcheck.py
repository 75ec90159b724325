"""API matrix rows of the oversight spotcheck part: the city draws; staff read the draws; the
city and the visited collective's body plan, record and close visits (another body: 404);
the collective's manager reads its announced visit but acts on none; reviewers are refused;
the public reproduction answers everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect

STAFF = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)
READERS = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, manager=200)
VISIT = expect(404, anonymous=AUTH, city_admin=200, body_admin=200, manager=200, reviewer=403)
ACTS = expect(404, anonymous=AUTH, city_admin=200, body_admin=200, manager=403, reviewer=403)


def _check(w: Any) -> Any:
    from qnwmh.oversight.models import SpotCheck

    return SpotCheck.objects.create(
        year=timezone.localdate().year,
        pct=20,
        seed="matrix",
        population=[[w.title.id, w.town.id, None, w.collective.ownership]],
        drawn=[w.title.id],
        drawn_by=w.users["city_admin"],
    )


def _visit(w: Any, status: str = "planned") -> dict[str, Any]:
    from qnwmh.oversight.models import Visit

    v = Visit.objects.create(
        spot_check=_check(w),
        title=w.title,
        collective=w.collective,
        reason="random",
        status=status,
        result="" if status == "planned" else "passed",
    )
    return {"code": v.code}


def _findings() -> list[dict[str, Any]]:
    from qnwmh.oversight.services.spotcheck import CHECKLIST_KEYS

    return [{"item": key, "ok": True, "note": ""} for key in CHECKLIST_KEYS]


ROWS = [
    ApiRow("get", "/oversight/spot-checks", STAFF),
    ApiRow(
        "get", "/oversight/spot-checks/{code}", STAFF, params=lambda w: {"code": _check(w).code}
    ),
    ApiRow(
        "post",
        "/oversight/spot-checks",
        expect(403, anonymous=AUTH, city_admin=201),
        body=lambda w, r: {"year": timezone.localdate().year, "pct": 20, "seed": "api1"},
    ),
    ApiRow("get", "/oversight/visits", READERS),
    ApiRow("get", "/oversight/visits/{code}", VISIT, params=_visit),
    ApiRow(
        "post",
        "/oversight/visits/{code}/plan",
        ACTS,
        params=_visit,
        body=lambda w, r: {"planned_on": timezone.localdate().isoformat(), "covert": False},
    ),
    ApiRow(
        "post",
        "/oversight/visits/{code}/record",
        ACTS,
        params=_visit,
        body=lambda w, r: {
            "visited_on": timezone.localdate().isoformat(),
            "inspectors": "张三",
            "findings": _findings(),
            "result": "passed",
        },
    ),
    ApiRow(
        "post",
        "/oversight/visits/{code}/close",
        ACTS,
        params=lambda w: _visit(w, "recorded"),
    ),
    ApiRow(
        "get",
        "/oversight/public/spot-checks/{code}",
        expect(200),
        params=lambda w: {"code": _check(w).code},
    ),
]
