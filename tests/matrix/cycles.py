"""Cycles and notices. An open cycle (quotas published) with a submitted registration of the
body's collective is built on first use; the outsider body and the reviewer cannot see the
registration (404); only the city manages cycles and decides lists."""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_cycle"):
        from tests import factories_cycles as fc

        w._cycle = fc.cycle()
        w._quota = fc.quota(w._cycle, w.body, 3)
        fc.quota(w._cycle, w.other_body, 3)
        w._reg = fc.registration(w._cycle, w.collective)
        from qnwmh.cycles.models import BodySubmission

        BodySubmission.objects.create(cycle=w._cycle, body=w.body, status="submitted")
    return w


def C(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._cycle.code}


def R(w: Any) -> dict[str, Any]:
    return {**C(w), "reg_code": w._reg.code}


def Q(w: Any) -> dict[str, Any]:
    return {**C(w), "quota_id": w._quota.pk}


def B(w: Any) -> dict[str, Any]:
    return {**C(w), "body_id": w.body.pk}


STAFF = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200)
CITY_ONLY = expect(403, anonymous=LOGIN, city_admin=200, reviewer=404)
CONFIRMED = lambda w: {"confirmed": "1"}  # noqa: E731  (one-click actions ask first)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302, reviewer=404)
SEE_REG = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)
OWN_BODY_POST = expect(
    404, anonymous=LOGIN, city_admin=403, body_admin=302, outsider=404, manager=404
)

ROWS = [
    Row(
        "cycles:list",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, manager=200),
        permission="cycles.view",
    ),
    Row("cycles:create", expect(403, anonymous=LOGIN, city_admin=200), permission="cycles.manage"),
    Row("cycles:detail", STAFF, kwargs=C, permission=None),
    Row("cycles:edit", CITY_ONLY, kwargs=C, permission="cycles.manage"),
    Row(
        "cycles:move",
        CITY_POST,
        kwargs=C,
        method="post",
        data=lambda w: {"to": "registration_closed"},
        permission="cycles.manage",
    ),
    Row(
        "cycles:quotas",
        expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200),
        kwargs=C,
        permission=None,
    ),
    Row(
        "cycles:quota_compute",
        CITY_POST,
        kwargs=C,
        method="post",
        data=CONFIRMED,
        permission="cycles.manage",
    ),
    Row(
        "cycles:quota_publish",
        CITY_POST,
        kwargs=C,
        method="post",
        data=CONFIRMED,
        permission="cycles.manage",
    ),
    Row(
        "cycles:quota_export",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, reviewer=404),
        kwargs=C,
        permission="cycles.export",
    ),
    Row(
        "cycles:quota_override",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=403),
        kwargs=Q,
        method="post",
        data=lambda w: {"value": 4, "reason": "调整"},
        permission="cycles.manage",
    ),
    Row(
        "cycles:quota_headcount",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=302),
        kwargs=Q,
        method="post",
        data=lambda w: {"headcount": 30},
        permission="cycles.set_headcount",
    ),
    Row("cycles:registrations", STAFF, kwargs=C, permission=None),
    Row(
        "cycles:registration_export",
        expect(403, anonymous=LOGIN, city_admin=200, body_admin=200, outsider=200, reviewer=404),
        kwargs=C,
        permission="cycles.export",
    ),
    Row(
        "cycles:registration_create",
        expect(403, anonymous=LOGIN, body_admin=200, outsider=200, manager=200, reviewer=404),
        kwargs=C,
        permission="cycles.file",
    ),
    Row("cycles:registration_detail", SEE_REG, kwargs=R, permission=None),
    Row(
        "cycles:registration_edit",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=200, manager=200),
        kwargs=R,
        permission="cycles.file",
    ),
    Row(
        "cycles:registration_review",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=302, manager=403),
        kwargs=R,
        method="post",
        data=lambda w: {"action": "return", "reason": "补充材料"},
        permission="cycles.review",
    ),
    # The body's list is with the city here, so the choice is the city's alone: the body admin
    # is refused (403; a message and a redirect before the refusal became a rule).
    Row(
        "cycles:registration_special",
        expect(404, anonymous=LOGIN, city_admin=302, body_admin=403, manager=403),
        kwargs=R,
        method="post",
        data=lambda w: {"value": "1"},
        permission="cycles.set_special",
    ),
    Row(
        "cycles:registration_withdraw",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=302, manager=302),
        kwargs=R,
        method="post",
        data=lambda w: {"reason": "单位调整"},
        permission="cycles.file",
    ),
    Row("cycles:submissions", CITY_ONLY, kwargs=C, permission="cycles.manage"),
    Row(
        "cycles:submission_submit",
        OWN_BODY_POST,
        kwargs=B,
        method="post",
        data=CONFIRMED,
        permission="cycles.review",
    ),
    Row(
        "cycles:submission_rank", OWN_BODY_POST, kwargs=B, method="post", permission="cycles.review"
    ),
    Row(
        "cycles:submission_decide",
        CITY_POST,
        kwargs=B,
        method="post",
        data=lambda w: {"action": "return", "reason": "补充"},
        permission="cycles.manage",
    ),
    Row("cycles:towns", CITY_ONLY, kwargs=C, permission="cycles.town_view"),
    Row("notices:list", expect(200, anonymous=LOGIN), permission=None),
    Row("notices:read_all", expect(302, anonymous=LOGIN), method="post", permission=None),
    Row(
        "notices:mail",
        expect(403, anonymous=LOGIN, city_admin=200),
        permission="notices.manage_mail",
    ),
    Row(
        "notices:mail_retry",
        expect(403, anonymous=LOGIN, city_admin=404),
        kwargs=lambda w: {"mail_id": 999999},
        method="post",
        permission="notices.manage_mail",
    ),
    Row(
        "notices:read",
        expect(404, anonymous=LOGIN),
        kwargs=lambda w: {"notice_id": 999999},
        method="post",
        permission=None,
    ),
]
