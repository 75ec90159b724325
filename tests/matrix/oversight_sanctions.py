"""Page matrix rows of the oversight sanctions part, on the world's city title. The city and
the bodies over the collective read sanctions (another body's answer 404, managers are
refused); bodies propose, the city imposes, confirms and withdraws. Rectification orders and a
title's history are read by the collective's managers too, who alone report."""

from __future__ import annotations

from typing import Any

from qnwmh.oversight.models import RectificationStatus, SanctionStatus
from tests import factories_oversight as fo
from tests.matrix import LOGIN, Row, expect

READ = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200)
OWN = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404)
PROPOSE = expect(403, anonymous=LOGIN, city_admin=302, body_admin=302, outsider=404)
IMPOSE_PAGE = expect(403, anonymous=LOGIN, city_admin=200, outsider=404)
IMPOSE = expect(403, anonymous=LOGIN, city_admin=302, outsider=404)
DECIDE = expect(404, anonymous=LOGIN, city_admin=302, body_admin=403)
FOLLOW = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
FOLLOW_OWN = expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=404, manager=200)
TITLE = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)


def _title(w: Any) -> dict[str, Any]:
    return {"title": w.title.code}


def _sanction(w: Any) -> dict[str, Any]:
    return {"code": fo.sanction(w.title).code}


def _proposal(w: Any) -> dict[str, Any]:
    return {"code": fo.sanction(w.title, status=SanctionStatus.PROPOSED).code}


def _ordered(w: Any) -> dict[str, Any]:
    return {"code": fo.rectification(w.title).code}


def _reported(w: Any) -> dict[str, Any]:
    r = fo.rectification(w.title, status=RectificationStatus.REPORTED, report="已整改。")
    return {"code": r.code}


def _sanction_data(w: Any) -> dict[str, Any]:
    return {"title": w.title.code, "kind": "warning", "basis": "other", "reason": "服务差。"}


ROWS = [
    Row("oversight:sanctions", READ, permission="oversight.view"),
    Row(
        "oversight:sanctions",
        READ,
        query="?format=xlsx&status=imposed",
        label="xlsx",
        permission="oversight.view",
    ),
    Row("oversight:sanction", OWN, kwargs=_sanction, permission="oversight.view"),
    Row("oversight:sanction_propose", READ, label="pick", permission="oversight.view"),
    Row("oversight:sanction_propose", OWN, data=_title, permission="oversight.view"),
    Row(
        "oversight:sanction_propose",
        PROPOSE,
        method="post",
        data=_sanction_data,
        permission="oversight.view",
    ),
    Row("oversight:sanction_impose", IMPOSE_PAGE, data=_title, permission="oversight.view"),
    Row(
        "oversight:sanction_impose",
        IMPOSE,
        method="post",
        data=_sanction_data,
        permission="oversight.view",
    ),
    Row(
        "oversight:sanction_confirm",
        DECIDE,
        method="post",
        kwargs=_proposal,
        permission="oversight.impose_sanction",
    ),
    Row(
        "oversight:sanction_withdraw",
        DECIDE,
        method="post",
        kwargs=_proposal,
        data=lambda w: {"note": "证据不足。"},
        permission="oversight.impose_sanction",
    ),
    Row("oversight:rectifications", FOLLOW, permission="oversight.follow_up"),
    Row(
        "oversight:rectifications",
        FOLLOW,
        query="?format=xlsx&state=overdue",
        label="xlsx",
        permission="oversight.follow_up",
    ),
    Row("oversight:rectification", FOLLOW_OWN, kwargs=_ordered, permission="oversight.follow_up"),
    Row("oversight:rectification_order", OWN, data=_title, permission="oversight.view"),
    Row(
        "oversight:rectification_order",
        PROPOSE,
        method="post",
        data=lambda w: {
            "title": w.title.code,
            "basis": "spot_check",
            "requirements": "补齐创建台账。",
            "due_on": "2099-01-31",
        },
        permission="oversight.view",
    ),
    Row(
        "oversight:rectification_report",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=403, manager=200),
        kwargs=_ordered,
        permission="oversight.report_rectification",
    ),
    Row(
        "oversight:rectification_report",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=403, manager=302),
        method="post",
        kwargs=_ordered,
        data=lambda w: {"text": "已整改完毕。"},
        permission="oversight.report_rectification",
    ),
    Row(
        "oversight:rectification_verify",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=403),
        kwargs=_reported,
        permission="oversight.order_rectification",
    ),
    Row(
        "oversight:rectification_verify",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=302, manager=403),
        method="post",
        kwargs=_reported,
        data=lambda w: {"passed": "1", "note": ""},
        permission="oversight.order_rectification",
    ),
    Row(
        "oversight:title",
        TITLE,
        kwargs=lambda w: {"code": w.title.code},
        permission="oversight.view_title",
    ),
]
