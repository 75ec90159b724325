"""API matrix rows of the oversight standard part: a draft standard with its items, an exit of
a title of the body's, and an active title to record a merger for, built on first use. The city
writes; the bodies read (an exit outside their subtree answers 404); managers and reviewers
are refused the lists and reach no standard; the revocation notice answers everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_api_std"):
        from qnwmh.core.actor import Actor
        from qnwmh.oversight.models import ExitKind
        from qnwmh.oversight.services import exits
        from tests import factories as f
        from tests import factories_oversight as fo

        w._api_std = fo.standard(2040)
        w._api_std_item = w._api_std.items.order_by("position").first()
        city = f.actor(w.users["city_admin"])
        assert isinstance(city, Actor)
        w._api_exit = exits.end_title(
            city, title=fo.city_title(w.body), kind=ExitKind.REVOKED, reason="违法违纪，撤销称号"
        )
        w._api_exit_title = fo.city_title(w.body)
    return w


def _std(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_std.code}


def _item(w: Any) -> dict[str, Any]:
    return {**_std(w), "item_id": w._api_std_item.pk}


def _exit(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._api_exit.code}


def _year(w: Any) -> dict[str, Any]:
    return {"year": timezone.localdate().year}


S = "/oversight/standards/{code}"
IT = S + "/items/{item_id}"
READ_LIST = expect(200, anonymous=AUTH, manager=403, reviewer=403)
SEE_STANDARD = expect(200, anonymous=AUTH, manager=404, reviewer=404)
CITY_ON_STANDARD = expect(403, anonymous=AUTH, city_admin=200, manager=404, reviewer=404)
CITY_ADDS = expect(403, anonymous=AUTH, city_admin=201, manager=404, reviewer=404)
EVERYONE = expect(200)

ROWS = [
    ApiRow("get", "/oversight/standards", READ_LIST),
    ApiRow(
        "post",
        "/oversight/standards",
        expect(403, anonymous=AUTH, city_admin=201),
        body=lambda w, r: {"year": 2041, "name": "新标准"},
    ),
    ApiRow("get", S, SEE_STANDARD, params=_std),
    ApiRow("patch", S, CITY_ON_STANDARD, params=_std, body=lambda w, r: {"pass_mark": 85}),
    ApiRow(
        "post",
        S + "/items",
        CITY_ADDS,
        params=_std,
        body=lambda w, r: {"label": "志愿服务", "points": 5, "source": "self"},
    ),
    ApiRow("patch", IT, CITY_ON_STANDARD, params=_item, body=lambda w, r: {"points": 25}),
    ApiRow("post", IT + "/move", CITY_ON_STANDARD, params=_item, body=lambda w, r: {"to": 3}),
    ApiRow("delete", IT, CITY_ON_STANDARD, params=_item),
    ApiRow("get", "/oversight/exits", READ_LIST),
    ApiRow(
        "post",
        "/oversight/exits",
        expect(403, anonymous=AUTH, city_admin=201),
        body=lambda w, r: {
            "title_code": _setup(w)._api_exit_title.code,
            "kind": "merged",
            "reason": "并入市民服务中心",
        },
    ),
    ApiRow(
        "get",
        "/oversight/exits/{code}",
        expect(200, anonymous=AUTH, outsider=404, manager=403, reviewer=403),
        params=_exit,
    ),
    ApiRow(
        "post",
        "/oversight/exits/{code}/plaque",
        expect(404, anonymous=AUTH, city_admin=200, body_admin=403),
        params=_exit,
        body=lambda w, r: {"on": timezone.localdate().isoformat(), "note": "已收回"},
    ),
    ApiRow("get", "/oversight/revocations", EVERYONE),
    ApiRow("get", "/oversight/revocations/{year}", EVERYONE, params=_year),
]
