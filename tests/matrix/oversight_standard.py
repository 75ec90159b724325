"""Page matrix rows of the oversight standard part: a draft standard with its items, an exit of
a title of the body's and an active title to record a merger for, built on first use. The
city edits and records; the bodies read (an exit outside their subtree: 404); managers and
reviewers are refused; the public revocation notice answers everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_pg_std"):
        from qnwmh.oversight.models import ExitKind
        from qnwmh.oversight.services import exits
        from tests import factories as f
        from tests import factories_oversight as fo

        w._pg_std = fo.standard(2045)
        w._pg_item = w._pg_std.items.order_by("position").first()
        w._pg_exit = exits.end_title(
            f.actor(w.users["city_admin"]),
            title=fo.city_title(w.body),
            kind=ExitKind.REVOKED,
            reason="违法违纪，撤销称号",
        )
        w._pg_title = fo.city_title(w.body)
    return w


def S(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._pg_std.code}


def I(w: Any) -> dict[str, Any]:  # noqa: E743
    return {**S(w), "item": w._pg_item.pk}


def E(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._pg_exit.code}


TODAY = lambda: timezone.localdate().isoformat()  # noqa: E731
READ = expect(200, anonymous=LOGIN, manager=403, reviewer=403)
CITY_PAGE = expect(403, anonymous=LOGIN, city_admin=200)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302)
# A standard's pages load it first: no one but the city and the bodies reaches one (404).
SEE_STD = expect(200, anonymous=LOGIN, manager=404, reviewer=404)
CITY_STD_PAGE = expect(403, anonymous=LOGIN, city_admin=200, manager=404, reviewer=404)
CITY_STD_POST = expect(403, anonymous=LOGIN, city_admin=302, manager=404, reviewer=404)
HEADER = lambda w: {  # noqa: E731
    "name": "修订标准",
    "pass_mark": 80,
    "warning_mark": 70,
    "star_down_mark": 60,
}
ITEM = lambda w: {"label": "志愿服务", "points": 5, "source": "self"}  # noqa: E731
V, M = "oversight.view", "oversight.manage"

ROWS = [
    Row("oversight:standards", READ, permission=V),
    Row("oversight:standard_create", CITY_PAGE, permission=M),
    Row(
        "oversight:standard_create",
        CITY_POST,
        method="post",
        data=lambda w: {"year": 2046},
        permission=M,
    ),
    Row("oversight:standard", SEE_STD, kwargs=S, permission=V),
    Row("oversight:standard_export", SEE_STD, kwargs=S, permission=V),
    Row("oversight:standard_edit", CITY_STD_PAGE, kwargs=S, permission=M),
    Row(
        "oversight:standard_edit", CITY_STD_POST, kwargs=S, method="post", data=HEADER, permission=M
    ),
    Row(
        "oversight:standard_copy",
        CITY_STD_POST,
        kwargs=S,
        method="post",
        data=lambda w: {"year": 2046},
        permission=M,
    ),
    Row(
        "oversight:standard_item_add",
        CITY_STD_POST,
        kwargs=S,
        method="post",
        data=ITEM,
        permission=M,
    ),
    Row("oversight:standard_item", CITY_STD_PAGE, kwargs=I, permission=M),
    Row("oversight:standard_item", CITY_STD_POST, kwargs=I, method="post", data=ITEM, permission=M),
    Row(
        "oversight:standard_item_move",
        CITY_STD_POST,
        kwargs=I,
        method="post",
        data=lambda w: {"to": 3},
        permission=M,
    ),
    Row(
        "oversight:standard_item_remove",
        CITY_STD_POST,
        kwargs=I,
        method="post",
        data=lambda w: {"confirmed": "1"},
        permission=M,
    ),
    Row("oversight:exits", READ, permission=V),
    Row("oversight:exits_export", READ, permission=V),
    Row("oversight:exit_record", CITY_PAGE, permission=M),
    Row(
        "oversight:exit_record",
        CITY_POST,
        method="post",
        data=lambda w: {
            "title": _setup(w)._pg_title.code,
            "kind": "merged",
            "reason": "并入市民服务中心",
            "on": TODAY(),
        },
        permission=M,
    ),
    Row(
        "oversight:exit",
        expect(200, anonymous=LOGIN, outsider=404, manager=404, reviewer=404),
        kwargs=E,
        permission=V,
    ),
    Row(
        "oversight:exit_plaque",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=403),
        kwargs=E,
        method="post",
        data=lambda w: {"on": TODAY(), "note": "已收回"},
        permission="oversight.record_exit",
    ),
    Row("oversight_public:revocation_years", expect(200), permission=None),
    Row(
        "oversight_public:revocations",
        expect(200),
        kwargs=lambda w: {"year": timezone.localdate().year},
        permission=None,
    ),
]
