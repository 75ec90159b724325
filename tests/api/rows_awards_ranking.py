"""API matrix rows of the awards ranking part (joined in test_api_matrix). A closed round
with the world's body and the outsider's, four recommended applications each; a second round
frozen, with one listed entry removed so its first reserve may move up."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_ranking"):
        from django.db import transaction

        from qnwmh.awards.models import EntryStatus, RemovalKind
        from qnwmh.awards.services import entries
        from tests import factories_awards as fa

        r, apps = fa.scored_round([w.body, w.other_body], per_body=4)
        frozen_round, _others = fa.scored_round([w.body], per_body=4)
        shortlist = fa.shortlist(frozen_round, frozen_by=w.users["city_admin"])
        listed = shortlist.entries.filter(status=EntryStatus.LISTED).first()
        with transaction.atomic():
            entries.remove(
                w.actor("city_admin"), listed, kind=RemovalKind.INSPECTION, reason="考察未通过"
            )
        reserve = (
            shortlist.entries.filter(status=EntryStatus.RESERVE).order_by("body_position").first()
        )
        w._api_ranking = (r, apps, shortlist, reserve)
    return w._api_ranking


def _round(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)[0].code}


def _own_app(w: Any) -> dict[str, Any]:
    r, apps, *_ = _setup(w)
    return {"code": r.code, "app_code": apps[0].code}


def _shortlist(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)[2].code}


def _reserve(w: Any) -> dict[str, Any]:
    _r, _apps, shortlist, reserve = _setup(w)
    return {"code": shortlist.code, "entry_id": reserve.id}


STAFF = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200)

ROWS = [
    ApiRow("get", "/awards/rounds/{code}/ranking", STAFF, params=_round),
    ApiRow(
        "post",
        "/awards/rounds/{code}/freeze",
        expect(403, anonymous=AUTH, city_admin=201),
        params=_round,
        body=lambda w, r: {"note": "经研究确定"},
    ),
    ApiRow("get", "/awards/shortlists/{code}", STAFF, params=_shortlist),
    ApiRow(
        "post",
        "/awards/shortlists/{code}/entries/{entry_id}/move-up",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=403),
        params=_reserve,
        body=lambda w, r: {"reason": "考察未通过后递补"},
    ),
    ApiRow("get", "/awards/rounds/{code}/league-support", STAFF, params=_round),
    ApiRow(
        "put",
        "/awards/rounds/{code}/league-support/{app_code}",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=200),
        params=_own_app,
        body=lambda w, r: {"score": 80, "reason": "团员活跃", "figures": {"league_members": 12}},
    ),
]
