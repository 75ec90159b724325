"""The notice part: city staff inspect, publish and handle objections; body admins read their
own entries' records (another body's entry or objection answers 404); managers and reviewers
are refused. Public notice pages, the objection form and tracking answer everyone."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests import factories_awards as fa
from tests import notice_builders as nb
from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
OWN = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404)
CITY = expect(403, anonymous=LOGIN, city_admin=200)
CITY_ACTS = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403)
ALL = expect(200)


def _world(w: Any) -> Any:
    s = nb.shortlist(w.body, per_body=2)
    n = fa.notice(s)
    return s, n, n.items.get()


def _shortlist(w: Any) -> dict[str, Any]:
    return {"code": _world(w)[0].code}


def _entry(w: Any) -> dict[str, Any]:
    s = nb.shortlist(w.body, per_body=2)
    return {"code": s.code, "entry_id": nb.listed(s).pk}


def _notice(w: Any) -> dict[str, Any]:
    return {"code": _world(w)[1].code}


def _item(w: Any) -> dict[str, Any]:
    return {"code": _world(w)[1].code, "position": 1}


def _objection(w: Any) -> dict[str, Any]:
    return {"pk": nb.objection(_world(w)[2]).pk}


def _tracking(w: Any) -> dict[str, Any]:
    return {"tracking_code": nb.objection(_world(w)[2]).code}


ROWS = [
    Row("awards:notices", READ, permission="awards.view"),
    Row("awards:notice", READ, kwargs=_notice, permission="awards.view"),
    Row("awards:notice_publish", CITY, kwargs=_shortlist, permission="awards.publish_notice"),
    Row("awards:inspections", READ, kwargs=_shortlist, permission="awards.view"),
    Row("awards:inspection", OWN, kwargs=_entry, permission="awards.view"),
    Row(
        "awards:inspection_record",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=403),
        kwargs=_entry,
        permission="awards.inspect",
    ),
    Row(
        "awards:inspection_record",
        CITY_ACTS,
        method="post",
        kwargs=_entry,
        data=lambda w: {
            "visited_on": timezone.localdate().isoformat(),
            "inspectors": "张三",
            "findings": "符合条件。",
            "outcome": "passed",
        },
        permission="awards.inspect",
    ),
    Row("awards:objections", READ, permission="awards.view"),
    Row(
        "awards:objections", READ, query="?state=overdue", label="overdue", permission="awards.view"
    ),
    Row("awards:objection", OWN, kwargs=_objection, permission="awards.view"),
    Row(
        "awards:objection_assign",
        CITY_ACTS,
        method="post",
        kwargs=_objection,
        data=lambda w: {"handler": w.users["city_admin"].pk},
        permission="awards.handle_objection",
    ),
    Row(
        "awards:objection_decide",
        CITY_ACTS,
        method="post",
        kwargs=_objection,
        data=lambda w: {
            "outcome": "not_upheld",
            "findings": "查无实据",
            "public_reason": "经核查不属实。",
        },
        permission="awards.handle_objection",
    ),
    Row("awards_public:notices", ALL, permission=None),
    Row("awards_public:notice", ALL, kwargs=_notice, permission=None),
    Row("awards_public:objection", ALL, kwargs=_item, permission=None),
    Row(
        "awards_public:objection",
        expect(302),
        method="post",
        kwargs=_item,
        data=lambda w: {
            "contact_name": "王五",
            "contact_phone": "13800138000",
            "text": "服务窗口长期无人值守。",
        },
        label="file",
        permission=None,
    ),
    Row("awards_public:track_lookup", ALL, permission=None),
    Row("awards_public:track", ALL, kwargs=_tracking, permission=None),
]
