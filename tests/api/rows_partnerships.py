"""API matrix rows of partnerships, on the same project and pair as the page matrix: the
city, the bodies reached and the collectives' managers read (another body's answer 404);
bodies propose for their own collectives, the city confirms or returns, the partners report
milestones and activities, the proposing body closes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.api.test_api_matrix import AUTH, ApiRow, expect

READ = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=200, manager=200)
OWN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, manager=200, outsider=404)
CITY = expect(403, anonymous=AUTH, city_admin=200)
RUN = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, manager=200, outsider=404)
RUN_NEW = expect(403, anonymous=AUTH, city_admin=201, body_admin=201, manager=201, outsider=404)
CLOSE = expect(403, anonymous=AUTH, city_admin=200, body_admin=200, outsider=404)


def _joint(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        from tests import factories_partnerships as fp

        key = f"_joint_{status}"
        if not hasattr(w, key):
            setattr(w, key, fp.joint(w, status))
        return {"code": getattr(w, key).code}

    return build


def _pair(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        from tests import factories_partnerships as fp

        key = f"_pair_{status}"
        if not hasattr(w, key):
            setattr(w, key, fp.pair(w, status))
        return {"code": getattr(w, key).code}

    return build


def _new_joint(w: Any, role: str) -> dict[str, Any]:
    from tests import factories_partnerships as fp

    return {
        "name": "双窗口联创",
        "goal": "共享服务标准。",
        "partner_codes": [w.collective.code, fp.titled_partner(w).code],
        "milestones": [{"name": "联合练兵", "due_on": timezone.localdate().isoformat()}],
    }


def _new_pair(w: Any, role: str) -> dict[str, Any]:
    from tests import factories_partnerships as fp

    return {"mentor_code": w.collective.code, "mentee_code": fp.mentee(w).code, "plan": "跟岗。"}


def _activity(w: Any, role: str) -> dict[str, Any]:
    return {
        "name": "跟岗学习",
        "occurred_on": timezone.localdate().isoformat(),
        "description": "学习服务规范。",
    }


ROWS = [
    ApiRow("get", "/partnerships/joints", READ),
    ApiRow(
        "post",
        "/partnerships/joints",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201),
        body=_new_joint,
    ),
    ApiRow("get", "/partnerships/joints/{code}", OWN, params=_joint("proposed")),
    ApiRow("post", "/partnerships/joints/{code}/confirm", CITY, params=_joint("proposed")),
    ApiRow(
        "post",
        "/partnerships/joints/{code}/return",
        CITY,
        params=_joint("proposed"),
        body=lambda w, r: {"reason": "节点不具体。"},
    ),
    ApiRow(
        "post",
        "/partnerships/joints/{code}/milestones/{number}/done",
        RUN,
        params=lambda w: {**_joint("active")(w), "number": 1},
        body=lambda w, r: {"done_on": timezone.localdate().isoformat(), "note": "已完成。"},
    ),
    ApiRow(
        "post",
        "/partnerships/joints/{code}/close",
        CLOSE,
        params=_joint("active"),
        body=lambda w, r: {"outcome": "标准统一。"},
    ),
    ApiRow("get", "/partnerships/pairs", READ),
    ApiRow(
        "post",
        "/partnerships/pairs",
        expect(403, anonymous=AUTH, city_admin=201, body_admin=201, outsider=404),
        body=_new_pair,
    ),
    ApiRow("get", "/partnerships/pairs/{code}", OWN, params=_pair("proposed")),
    ApiRow("post", "/partnerships/pairs/{code}/confirm", CITY, params=_pair("proposed")),
    ApiRow(
        "post",
        "/partnerships/pairs/{code}/return",
        CITY,
        params=_pair("proposed"),
        body=lambda w, r: {"reason": "计划不具体。"},
    ),
    ApiRow(
        "post",
        "/partnerships/pairs/{code}/activities",
        RUN_NEW,
        params=_pair("active"),
        body=_activity,
    ),
    # Before the city confirms: a clear refusal, nothing recorded.
    ApiRow(
        "post",
        "/partnerships/pairs/{code}/activities",
        expect(403, anonymous=AUTH, city_admin=400, body_admin=400, manager=400, outsider=404),
        params=_pair("proposed"),
        body=_activity,
        label="not confirmed",
    ),
    ApiRow(
        "post",
        "/partnerships/pairs/{code}/close",
        CLOSE,
        params=_pair("active"),
        body=lambda w, r: {"review": "帮带到位。", "rating": "achieved"},
    ),
]
