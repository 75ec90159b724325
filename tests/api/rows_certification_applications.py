"""API matrix rows of certification's round and applications (joined in test_api_matrix).
A round taking applications with a draft application of the body's collective."""

from __future__ import annotations

from typing import Any

from tests.api.test_api_matrix import AUTH, ApiRow, expect


def _round(w: Any) -> dict[str, Any]:
    if not hasattr(w, "_api_cert_round"):
        from qnwmh.certification.models import ApplicationStatus, RoundStatus
        from qnwmh.certification.testing import ensure_exam
        from qnwmh.core.actor import system_actor
        from tests import factories_certification as fcert

        w._api_cert_round = fcert.cert_round(status=RoundStatus.APPLICATIONS)
        ensure_exam(system_actor(), w._api_cert_round)
        w._api_cert_app = fcert.application(
            w._api_cert_round, w.collective, status=ApplicationStatus.DRAFT
        )
    return {"code": w._api_cert_round.code}


def _app(w: Any) -> dict[str, Any]:
    return {**_round(w), "app_code": w._api_cert_app.code}


def _new_applicant(w: Any, role: str) -> dict[str, Any]:
    """A second collective of the body, filed in the round's cycle."""
    from qnwmh.cycles.models import RegistrationStatus
    from tests import factories as f
    from tests import factories_cycles as fc

    collective = f.collective(w.body, name="石岐街道政务服务青年先锋岗", members=8)
    fc.registration(w._api_cert_round.cycle, collective, status=RegistrationStatus.FILED)
    return {"collective_code": collective.code}


A = "/certification/rounds/{code}/applications/{app_code}"
SEE = expect(404, anonymous=AUTH, city_admin=200, body_admin=200, manager=200)
BODY_DECIDES = expect(404, anonymous=AUTH, city_admin=403, body_admin=400, manager=403)
REASON = lambda w, r: {"reason": "请补充材料。"}  # noqa: E731

ROWS = [
    ApiRow("get", "/certification/rounds", expect(200, anonymous=AUTH)),
    ApiRow(
        "get",
        "/certification/rounds/{code}",
        expect(200, anonymous=AUTH, reviewer=404),
        params=_round,
    ),
    ApiRow(
        "get",
        "/certification/rounds/{code}/applications",
        expect(200, anonymous=AUTH, reviewer=404),
        params=_round,
    ),
    ApiRow(
        "post",
        "/certification/rounds/{code}/applications",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=201),
        params=_round,
        body=_new_applicant,
    ),
    ApiRow("get", A, SEE, params=_app),
    ApiRow(
        "patch",
        A,
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200, manager=200),
        params=_app,
        body=lambda w, r: {"statement": "以岗位练兵提升服务。"},
    ),
    # The draft has no self-assessment yet: submitting is refused with the reason.
    ApiRow(
        "post",
        A + "/submit",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=400, manager=400),
        params=_app,
    ),
    ApiRow(
        "post",
        A + "/recommend",
        BODY_DECIDES,
        params=_app,
        body=lambda w, r: {"recommendation": "推荐。", "rank": 1},
    ),
    ApiRow("post", A + "/return", BODY_DECIDES, params=_app, body=REASON),
    ApiRow(
        "post",
        A + "/withdraw",
        expect(404, anonymous=AUTH, city_admin=403, body_admin=200, manager=200),
        params=_app,
        body=REASON,
    ),
]
