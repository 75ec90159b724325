"""Certification round and applications. A round taking applications (with its exam) and a
draft application of the body's collective are built on first use; the reviewer reaches
none of these pages (404), the outsider body not the application (404); only the city manages
the round, only the body recommends or returns."""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, Row, expect


def _setup(w: Any) -> Any:
    if not hasattr(w, "_cert_round"):
        from qnwmh.certification.models import ApplicationStatus, RoundStatus
        from qnwmh.certification.testing import ensure_exam
        from qnwmh.core.actor import system_actor
        from tests import factories_certification as fcert

        w._cert_round = fcert.cert_round(status=RoundStatus.APPLICATIONS)
        ensure_exam(system_actor(), w._cert_round)
        w._cert_app = fcert.application(w._cert_round, w.collective, status=ApplicationStatus.DRAFT)
    return w


def R(w: Any) -> dict[str, Any]:
    return {"code": _setup(w)._cert_round.code}


def A(w: Any) -> dict[str, Any]:
    return {**R(w), "app_code": w._cert_app.code}


CONFIRMED = lambda w: {"confirmed": "1"}  # noqa: E731  (one-click actions ask first)
REASON = lambda w: {"reason": "原因"}  # noqa: E731
SEE_ROUND = expect(200, anonymous=LOGIN, reviewer=404)
CITY_ONLY = expect(403, anonymous=LOGIN, city_admin=200, reviewer=404)
SEE_APP = expect(404, anonymous=LOGIN, city_admin=200, body_admin=200, manager=200)
BODY_POST = expect(404, anonymous=LOGIN, city_admin=403, body_admin=302, manager=403)
COLLECTIVE_POST = expect(404, anonymous=LOGIN, city_admin=403, body_admin=302, manager=302)

ROWS = [
    Row(
        "certification:rounds",
        expect(200, anonymous=LOGIN, reviewer=403),
        permission="certification.view",
    ),
    Row("certification:round", SEE_ROUND, kwargs=R, permission="certification.view"),
    Row("certification:round_edit", CITY_ONLY, kwargs=R, permission="certification.manage_round"),
    Row(
        "certification:round_move",
        expect(403, anonymous=LOGIN, city_admin=302, reviewer=404),
        kwargs=R,
        method="post",
        data=lambda w: {"to": "review"},
        permission="certification.manage_round",
    ),
    Row("certification:applications", SEE_ROUND, kwargs=R, permission="certification.view"),
    Row(
        "certification:application_export",
        expect(200, anonymous=LOGIN, manager=403, reviewer=404),
        kwargs=R,
        permission="certification.export",
    ),
    Row(
        "certification:application_create",
        expect(200, anonymous=LOGIN, city_admin=403, reviewer=404),
        kwargs=R,
        permission="certification.apply",
    ),
    Row("certification:application", SEE_APP, kwargs=A, permission=None),
    Row(
        "certification:application_edit",
        expect(404, anonymous=LOGIN, city_admin=403, body_admin=200, manager=200),
        kwargs=A,
        permission="certification.apply",
    ),
    Row(
        "certification:application_submit",
        COLLECTIVE_POST,
        kwargs=A,
        method="post",
        data=CONFIRMED,
        permission="certification.apply",
    ),
    Row(
        "certification:application_recommend",
        BODY_POST,
        kwargs=A,
        method="post",
        data=lambda w: {"recommendation": "推荐", "rank": "1"},
        permission="certification.recommend",
    ),
    Row(
        "certification:application_return",
        BODY_POST,
        kwargs=A,
        method="post",
        data=REASON,
        permission="certification.recommend",
    ),
    Row(
        "certification:application_withdraw",
        COLLECTIVE_POST,
        kwargs=A,
        method="post",
        data=REASON,
        permission="certification.withdraw",
    ),
]

ROWS.append(
    Row(
        "certification:round_areas",
        expect(403, anonymous=LOGIN, city_admin=302, reviewer=404),
        kwargs=R,
        method="post",
        permission="certification.manage_round",
    )
)
