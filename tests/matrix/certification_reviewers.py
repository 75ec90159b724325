"""Certification, reviewers part: the pool, areas, panels and assignment are the city's (others
refused before anything is looked up); the workspace is the reviewer's, and an assignment or
an application not theirs answers 404."""

from __future__ import annotations

from typing import Any

from tests import factories_certification as fcert
from tests.matrix import LOGIN, Row, expect

CITY = expect(403, anonymous=LOGIN, city_admin=200)
CITY_POST = expect(403, anonymous=LOGIN, city_admin=302)
REVIEWER = expect(403, anonymous=LOGIN, reviewer=200)
OWN = expect(404, anonymous=LOGIN, reviewer=200)


def _round(w: Any) -> Any:
    if not hasattr(w, "_cr"):
        from qnwmh.certification.models import Panel

        w._cr = fcert.cert_round()
        w._area = fcert.area([w.town, w.other_town])
        w._app = fcert.application(w._cr, w.collective, status="recommended", area_=w._area)
        w._pool = [fcert.reviewer(areas=[w._area]) for _ in range(3)]
        w._mine = fcert.reviewer(user=w.users["reviewer"], areas=[w._area])
        panel = Panel.objects.create(round=w._cr, area=w._area)
        panel.members.set([*w._pool, w._mine])
        w._assignment = fcert.assignment(w._app, w._mine, status="invited")
    return w


def _rc(w: Any) -> dict[str, Any]:
    return {"code": _round(w)._cr.code}


def _app(w: Any) -> dict[str, Any]:
    return {"code": _round(w)._app.code}


def _file(w: Any) -> dict[str, Any]:
    from django.test import TestCase

    from qnwmh.certification.models import SelfAssessment
    from qnwmh.evidence.services import store_upload
    from tests import evidence_files as ef

    _round(w)
    with TestCase.captureOnCommitCallbacks(execute=True):  # files are written on commit
        evidence = store_upload(
            w.actor("manager"),
            uploaded_file=ef.upload("scan.jpg", ef.jpeg(), "image/jpeg"),
            collective=w.collective,
            purpose="certification.assessment",
        )
    sa = SelfAssessment.objects.create(application=w._app, dimension="basic_build", text="自评")
    sa.files.add(evidence)
    return {"code": w._app.code, "file": evidence.code}


ROWS = [
    Row("certification:areas", CITY, permission="certification.manage_reviewers"),
    Row(
        "certification:areas",
        CITY_POST,
        method="post",
        data=lambda w: {"name": "东片区", "towns": [w.town.pk], "sort_order": "1", "active": "on"},
        label="create",
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:area_edit",
        CITY,
        kwargs=lambda w: {"code": fcert.area([w.town]).code},
        permission="certification.manage_reviewers",
    ),
    Row("certification:reviewers", CITY, permission="certification.manage_reviewers"),
    Row(
        "certification:reviewers",
        CITY,
        query="?active=all&q=单位&area=nope",
        label="filtered",
        permission="certification.manage_reviewers",
    ),
    Row("certification:reviewer_create", CITY, permission="certification.manage_reviewers"),
    Row(
        "certification:reviewer_edit",
        CITY,
        kwargs=lambda w: {"code": fcert.reviewer().code},
        permission="certification.manage_reviewers",
    ),
    Row("certification:conflicts", CITY, permission="certification.manage_reviewers"),
    Row("certification:panels", CITY, kwargs=_rc, permission="certification.manage_reviewers"),
    Row(
        "certification:panel_edit",
        CITY,
        kwargs=lambda w: {**_rc(w), "area": w._area.code},
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:draw",
        CITY_POST,
        method="post",
        kwargs=_rc,
        data=lambda w: {"area": w._area.pk, "seed": "5"},
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:assignments",
        CITY,
        kwargs=_rc,
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:assign",
        CITY,
        kwargs=lambda w: {**_rc(w), "app": w._app.code},
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:assignment_cancel",
        CITY,
        kwargs=lambda w: {"code": _round(w)._assignment.code},
        permission="certification.manage_reviewers",
    ),
    Row("certification:review_home", REVIEWER, permission="certification.review"),
    Row(
        "certification:assignment_accept",
        expect(404, anonymous=LOGIN, reviewer=302),
        method="post",
        kwargs=lambda w: {"code": _round(w)._assignment.code},
        permission="certification.respond",
    ),
    # Someone else's invitation: not found, even for the reviewer.
    Row(
        "certification:assignment_accept",
        expect(404, anonymous=LOGIN),
        method="post",
        kwargs=lambda w: {
            "code": fcert.assignment(_round(w)._app, w._pool[0], status="invited").code
        },
        label="other's",
        permission="certification.respond",
    ),
    Row(
        "certification:assignment_decline",
        OWN,
        kwargs=lambda w: {"code": _round(w)._assignment.code},
        permission="certification.respond",
    ),
    Row(
        "certification:assignment_decline",
        expect(404, anonymous=LOGIN, reviewer=302),
        method="post",
        kwargs=lambda w: {"code": _round(w)._assignment.code},
        data=lambda w: {"reason": "出差"},
        label="decline",
        permission="certification.respond",
    ),
    Row("certification:dossier", REVIEWER, kwargs=_app, permission="certification.review"),
    # An application the reviewer is not assigned to.
    Row(
        "certification:dossier",
        expect(403, anonymous=LOGIN, reviewer=404),
        kwargs=lambda w: {
            "code": fcert.application(_round(w)._cr, w.other_collective, status="recommended").code
        },
        label="not assigned",
        permission="certification.review",
    ),
    Row(
        "certification:declare_conflict",
        OWN,
        kwargs=_app,
        permission="certification.declare_conflict",
    ),
    Row(
        "certification:declare_conflict",
        expect(404, anonymous=LOGIN, reviewer=302),
        method="post",
        kwargs=_app,
        data=lambda w: {"reason": "亲属在该单位"},
        label="declare",
        permission="certification.declare_conflict",
    ),
    Row(
        "certification:assign",
        CITY_POST,
        method="post",
        kwargs=lambda w: {**_rc(w), "app": w._app.code},
        data=lambda w: {"reviewer": w._pool[0].pk},
        label="assign",
        permission="certification.manage_reviewers",
    ),
    Row(
        "certification:assignment_cancel",
        CITY_POST,
        method="post",
        kwargs=lambda w: {"code": _round(w)._assignment.code},
        data=lambda w: {"reason": "调整"},
        label="cancel",
        permission="certification.manage_reviewers",
    ),
    Row("certification:dossier_file", REVIEWER, kwargs=_file, permission="certification.review"),
]
