"""Page matrix rows of partnerships, on a project of the world's titled collective and a
second titled collective of its body, and a pair of that collective (mentor) and a creating
collective of the same body (mentee). The city, the bodies reached and the collectives' own
managers read; bodies propose (for their own collectives), the city confirms or returns, the
partners report milestones and activities, the proposing body closes."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qnwmh.partnerships.models import Status
from tests import factories_partnerships as fp
from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
PROPOSE_PAGE = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
OWN = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200, outsider=404)
DECIDE = expect(403, anonymous=LOGIN, city_admin=302)
RUN = expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=302)
CLOSE = expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=403)


def _joint(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        key = f"_joint_{status}"
        if not hasattr(w, key):
            setattr(w, key, fp.joint(w, status))
        return {"code": getattr(w, key).code}

    return build


def _pair(status: str) -> Any:
    def build(w: Any) -> dict[str, Any]:
        key = f"_pair_{status}"
        if not hasattr(w, key):
            setattr(w, key, fp.pair(w, status))
        return {"code": getattr(w, key).code}

    return build


def _milestone(w: Any) -> dict[str, Any]:
    return {**_joint(Status.ACTIVE)(w), "number": 1}


def _joint_data(w: Any) -> dict[str, Any]:
    return {
        "name": "双窗口联创",
        "goal": "共享服务标准。",
        "partners": [w.collective.pk, fp.titled_partner(w).pk],
        "milestones": f"{timezone.localdate().isoformat()} 联合练兵",
    }


def _pair_data(w: Any) -> dict[str, Any]:
    return {"mentor": w.collective.pk, "mentee": fp.mentee(w).pk, "plan": "跟岗学习。"}


TODAY = lambda w: {"done_on": timezone.localdate().isoformat(), "note": "已完成。"}  # noqa: E731

ROWS = [
    Row("partnerships:joints", READ, permission="partnerships.view"),
    Row(
        "partnerships:joints",
        READ,
        query="?format=xlsx&status=active",
        label="xlsx",
        permission="partnerships.view",
    ),
    Row("partnerships:joint_propose", PROPOSE_PAGE, permission="partnerships.propose"),
    Row(
        "partnerships:joint_propose",
        expect(403, anonymous=LOGIN, city_admin=302, body_admin=302),
        method="post",
        data=_joint_data,
        permission="partnerships.propose",
    ),
    Row("partnerships:joint", OWN, kwargs=_joint(Status.PROPOSED), permission="partnerships.view"),
    Row(
        "partnerships:joint_confirm",
        DECIDE,
        method="post",
        kwargs=_joint(Status.PROPOSED),
        data=lambda w: {"confirmed": "1"},
        permission="partnerships.confirm",
    ),
    Row(
        "partnerships:joint_return",
        DECIDE,
        method="post",
        kwargs=_joint(Status.PROPOSED),
        data=lambda w: {"reason": "节点不具体。"},
        permission="partnerships.confirm",
    ),
    Row(
        "partnerships:milestone_done",
        RUN,
        method="post",
        kwargs=_milestone,
        data=TODAY,
        permission="partnerships.run_joint",
    ),
    Row(
        "partnerships:joint_close",
        CLOSE,
        method="post",
        kwargs=_joint(Status.ACTIVE),
        data=lambda w: {"outcome": "标准统一。", "confirmed": "1"},
        permission="partnerships.close_joint",
    ),
    Row("partnerships:pairs", READ, permission="partnerships.view"),
    Row(
        "partnerships:pairs",
        READ,
        query="?format=xlsx&status=proposed",
        label="xlsx",
        permission="partnerships.view",
    ),
    Row("partnerships:pair_propose", PROPOSE_PAGE, permission="partnerships.propose"),
    Row(
        "partnerships:pair_propose",
        expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404),
        method="post",
        data=_pair_data,
        permission="partnerships.propose",
    ),
    Row("partnerships:pair", OWN, kwargs=_pair(Status.PROPOSED), permission="partnerships.view"),
    Row(
        "partnerships:pair_confirm",
        DECIDE,
        method="post",
        kwargs=_pair(Status.PROPOSED),
        data=lambda w: {"confirmed": "1"},
        permission="partnerships.confirm",
    ),
    Row(
        "partnerships:pair_return",
        DECIDE,
        method="post",
        kwargs=_pair(Status.PROPOSED),
        data=lambda w: {"reason": "计划不具体。"},
        permission="partnerships.confirm",
    ),
    Row(
        "partnerships:activity_record",
        RUN,
        method="post",
        kwargs=_pair(Status.ACTIVE),
        data=lambda w: {
            "name": "跟岗学习",
            "occurred_on": timezone.localdate().isoformat(),
            "description": "学习服务规范。",
        },
        permission="partnerships.record_activity",
    ),
    Row(
        "partnerships:pair_close",
        CLOSE,
        method="post",
        kwargs=_pair(Status.ACTIVE),
        data=lambda w: {"review": "帮带到位。", "rating": "achieved", "confirmed": "1"},
        permission="partnerships.review_pair",
    ),
]
