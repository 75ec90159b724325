"""Nominations upward (推报). A round with the body's collective nominated and another city
title of the body eligible are built on first use. The city acts; the bodies read the rounds
and their own nominations (the outsider body not the nomination: 404); managers and reviewers
reach no round (404) and no list (403)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_nom_round"):
        from qnwmh.awards.models import Nomination, NominationRound
        from tests import factories as f

        today = timezone.localdate()
        w._nom_round = NominationRound.objects.create(
            year=today.year,
            name="省级青年文明号推报",
            quota=3,
            deadline=today + datetime.timedelta(days=20),
            created_by=w.users["city_admin"],
        )
        w._nomination = Nomination.objects.create(
            round=w._nom_round,
            title=w.title,
            collective=w.collective,
            position=1,
            recommendation="推荐。",
            nominated_by=w.users["city_admin"],
        )
        w._nom_eligible = f.title(f.collective(w.body, name="石岐街道青年突击队"))
    return w


def R(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._nom_round.code}


def T(w: Any) -> dict[str, Any]:
    return {**R(w), "title_code": w._nom_eligible.code}


def N(w: Any) -> dict[str, Any]:
    return {**R(w), "ncode": w._nomination.code}


TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731
ROUND = lambda w: {  # noqa: E731
    "year": 2026,
    "name": "新推报批次",
    "quota": 2,
    "deadline": TODAY(),
    "basis": "",
}
SEE_ROUND = expect(200, anonymous=LOGIN, manager=404, reviewer=404)
CITY_PAGE = expect(403, anonymous=LOGIN, city_admin=200, manager=404, reviewer=404)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302, manager=404, reviewer=404)
SEE_NOMINATION = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200)
ACT_ON_NOMINATION = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403)

ROWS = [
    Row(
        "awards:nomination_rounds",
        expect(200, anonymous=LOGIN, manager=403, reviewer=403),
        permission="awards.view",
    ),
    Row(
        "awards:nomination_round_create",
        expect(403, anonymous=LOGIN, city_admin=200),
        permission="awards.nominate",
    ),
    Row(
        "awards:nomination_round_create",
        expect(403, anonymous=LOGIN, city_admin=302),
        method="post",
        data=ROUND,
        permission="awards.nominate",
    ),
    Row("awards:nomination_round", SEE_ROUND, kwargs=R, permission="awards.view"),
    Row("awards:nomination_round_edit", CITY_PAGE, kwargs=R, permission="awards.nominate"),
    Row(
        "awards:nomination_round_edit",
        CITY_POST,
        kwargs=R,
        method="post",
        data=ROUND,
        permission="awards.nominate",
    ),
    Row("awards:nomination_round_export", SEE_ROUND, kwargs=R, permission="awards.view"),
    Row("awards:nominate", CITY_PAGE, kwargs=T, permission="awards.nominate"),
    Row(
        "awards:nominate",
        CITY_POST,
        kwargs=T,
        method="post",
        data=lambda w: {"recommendation": "服务群众成效突出。"},
        permission="awards.nominate",
    ),
    Row("awards:nomination", SEE_NOMINATION, kwargs=N, permission="awards.view"),
    Row(
        "awards:nomination_withdraw",
        ACT_ON_NOMINATION,
        kwargs=N,
        method="post",
        data=lambda w: {"reason": "原因", "confirmed": "1"},
        permission="awards.nominate",
    ),
    Row(
        "awards:nomination_outcome",
        ACT_ON_NOMINATION,
        kwargs=N,
        method="post",
        data=lambda w: {
            "outcome": "not_granted",
            "outcome_on": TODAY(),
            "note": "未入选",
            "confirmed": "1",
        },
        permission="awards.nominate",
    ),
    Row("awards:nomination_dossier", SEE_NOMINATION, kwargs=N, permission="awards.view"),
]
