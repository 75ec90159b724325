"""Ranking: city staff and body admins read rankings and the shortlist (a body admin its own
entries), body admins enter their applications' league support, only city staff try what-if
weights, freeze and move reserves up. A round with the world's body (the body admin's) and
the outsider's body, each with four recommended applications; a second round frozen."""

from typing import Any

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_ranking"):
        from qnwmh.awards.models import EntryStatus, RemovalKind
        from qnwmh.awards.services import entries
        from tests import factories_awards as fa

        r, apps = fa.scored_round([w.body, w.other_body], per_body=4)
        frozen_round, _others = fa.scored_round([w.body], per_body=4)
        shortlist = fa.shortlist(frozen_round, frozen_by=w.users["city_admin"])
        listed = shortlist.entries.filter(status=EntryStatus.LISTED).first()
        from django.db import transaction

        with transaction.atomic():
            entries.remove(
                w.actor("city_admin"), listed, kind=RemovalKind.INSPECTION, reason="考察未通过"
            )
        reserve = (
            shortlist.entries.filter(status=EntryStatus.RESERVE).order_by("body_position").first()
        )
        w._ranking = (r, apps, shortlist, reserve)
    return w._ranking


def _round(w: Any) -> dict[str, str]:
    return {"code": _setup(w)[0].code}


def _own_app(w: Any) -> dict[str, str]:
    r, apps, *_ = _setup(w)
    return {"round_code": r.code, "code": apps[0].code}


def _shortlist(w: Any) -> dict[str, str]:
    return {"code": _setup(w)[2].code}


def _reserve(w: Any) -> dict[str, Any]:
    _r, _apps, shortlist, reserve = _setup(w)
    return {"code": shortlist.code, "entry_id": reserve.id}


STAFF = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
CITY = expect(403, anonymous=LOGIN, city_admin=200)

ROWS = [
    Row("awards:ranking_rounds", STAFF, permission="awards.view"),
    Row("awards:ranking", STAFF, kwargs=_round, permission="awards.view"),
    Row("awards:ranking_export", STAFF, kwargs=_round, permission="awards.view"),
    Row("awards:what_if", CITY, kwargs=_round, permission="awards.what_if"),
    Row(
        "awards:what_if",
        CITY,
        kwargs=_round,
        query="?league_pct=40&appraisal_pct=0&tie_break=site,test",
        label="weights",
        permission="awards.what_if",
    ),
    Row(
        "awards:freeze",
        expect(403, anonymous=LOGIN, city_admin=200),
        kwargs=_round,
        permission="awards.freeze",
    ),
    Row(
        "awards:freeze",
        expect(403, anonymous=LOGIN, city_admin=302),
        kwargs=_round,
        method="post",
        data=lambda w: {"note": "经研究确定"},
        permission="awards.freeze",
    ),
    Row("awards:league_support", STAFF, kwargs=_round, permission="awards.view"),
    Row(
        "awards:league_support_edit",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200),
        kwargs=_own_app,
        permission="awards.enter_league_support",
    ),
    Row(
        "awards:league_support_edit",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302),
        kwargs=_own_app,
        method="post",
        data=lambda w: {"score": "80", "reason": "团员活跃", "league_members": "12"},
        permission="awards.enter_league_support",
    ),
    Row("awards:shortlist", STAFF, kwargs=_shortlist, permission="awards.view"),
    Row(
        "awards:move_up",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=403),
        kwargs=_reserve,
        method="post",
        data=lambda w: {"reason": "考察未通过后递补"},
        permission="awards.move_up",
    ),
]
