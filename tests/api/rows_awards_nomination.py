"""API matrix rows of the awards nomination part (joined in test_api_matrix). A round with
the body's collective nominated and another city title of the body eligible, built on first
use: the city acts, the bodies read the rounds and their own nominations."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_nom_round"):
        from qnwmh.awards.models import Nomination, NominationRound
        from tests import factories as f

        today = timezone.localdate()
        w._api_nom_round = NominationRound.objects.create(
            year=today.year,
            name="省级青年文明号推报",
            quota=3,
            deadline=today + datetime.timedelta(days=20),
            created_by=w.users["city_admin"],
        )
        w._api_nomination = Nomination.objects.create(
            round=w._api_nom_round,
            title=w.title,
            collective=w.collective,
            position=1,
            recommendation="推荐。",
            nominated_by=w.users["city_admin"],
        )
        w._api_nom_eligible = f.title(f.collective(w.body, name="石岐街道青年突击队"))
    return w


def _round(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_nom_round.code}


def _nomination(w: Any) -> dict[str, Any]:
    return {**_round(w), "ncode": w._api_nomination.code}


R = "/awards/nomination-rounds/{code}"
N = R + "/nominations/{ncode}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEE_ROUND = expect(200, anonymous=AUTH, manager=404, reviewer=404)
CITY_ON_ROUND = expect(403, anonymous=AUTH, city_admin=200, manager=404, reviewer=404)
SEE_NOMINATION = expect(404, anonymous=AUTH, city_admin=200, body_admin=200)
ACT_ON_NOMINATION = expect(404, anonymous=AUTH, city_admin=200, body_admin=403)
TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731

ROWS = [
    ApiRow("get", "/awards/nomination-rounds", expect(200, anonymous=AUTH)),
    ApiRow(
        "post",
        "/awards/nomination-rounds",
        expect(403, anonymous=AUTH, city_admin=201),
        body=lambda w, r: {"year": 2026, "name": "新推报批次", "quota": 2, "deadline": TODAY()},
    ),
    ApiRow("get", R, SEE_ROUND, params=_round),
    ApiRow("patch", R, CITY_ON_ROUND, params=_round, body=lambda w, r: {"quota": 4}),
    ApiRow("get", R + "/eligible-titles", CITY_ON_ROUND, params=_round),
    ApiRow("get", R + "/export", SEE_ROUND, params=_round, content_type=XLSX),
    ApiRow("get", R + "/nominations", SEE_ROUND, params=_round),
    ApiRow(
        "post",
        R + "/nominations",
        expect(403, anonymous=AUTH, city_admin=201, manager=404, reviewer=404),
        params=_round,
        body=lambda w, r: {
            "title_code": w._api_nom_eligible.code,
            "recommendation": "服务群众成效突出。",
        },
    ),
    ApiRow("get", N, SEE_NOMINATION, params=_nomination),
    ApiRow(
        "post",
        N + "/withdraw",
        ACT_ON_NOMINATION,
        params=_nomination,
        body=lambda w, r: {"reason": "集体主动放弃"},
    ),
    ApiRow(
        "post",
        N + "/outcome",
        ACT_ON_NOMINATION,
        params=_nomination,
        body=lambda w, r: {"outcome": "not_granted", "outcome_on": TODAY(), "note": "未入选"},
    ),
    ApiRow(
        "get", N + "/dossier", SEE_NOMINATION, params=_nomination, content_type="application/zip"
    ),
]
