"""A scoring world on top of ``conftest.World``: a round in review, the body's collective's
recommended application in an area, the world's reviewer and two more assigned, a panel whose
chair is another reviewer and whose secretary is the body admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qnwmh.certification.models import (
    Application,
    ApplicationStatus,
    Assignment,
    CertificationRound,
    Panel,
    ReviewArea,
    Reviewer,
)
from tests import factories_certification as fcert

FULL = {
    d: {"points": "80", "comment": ""}
    for d in (
        "basic_build",
        "systems",
        "results",
        "features",
        "outcomes",
        "public_appraisal",
        "league_building",
    )
}


def scores(points: Any = "80", **over: Any) -> dict[str, dict[str, str]]:
    out = {d: {"points": str(points), "comment": ""} for d in FULL}
    for dim, value in over.items():
        out[dim] = value if isinstance(value, dict) else {"points": str(value), "comment": ""}
    return out


@dataclass
class Scoring:
    round: CertificationRound
    area: ReviewArea
    app: Application
    reviewer: Reviewer
    chair: Reviewer
    third: Reviewer
    mine: Assignment
    chairs: Assignment
    thirds: Assignment
    panel: Panel


def setup(w: Any) -> Scoring:
    """Built once per world (pages of the matrix may ask several times in one test)."""
    if getattr(w, "_scoring_setup", None) is None:
        w._scoring_setup = _build(w)
    return w._scoring_setup


def _build(w: Any) -> Scoring:
    r = fcert.cert_round()
    area = fcert.area([w.town])
    app = fcert.application(r, w.collective, status=ApplicationStatus.RECOMMENDED, area_=area)
    mine = fcert.reviewer(user=w.users["reviewer"], areas=[area])
    chair = fcert.reviewer(areas=[area])
    third = fcert.reviewer(areas=[area])
    panel = Panel.objects.create(round=r, area=area, chair=chair, secretary=w.users["body_admin"])
    panel.members.set([mine, chair, third])
    return Scoring(
        round=r,
        area=area,
        app=app,
        reviewer=mine,
        chair=chair,
        third=third,
        mine=fcert.assignment(app, mine),
        chairs=fcert.assignment(app, chair),
        thirds=fcert.assignment(app, third),
        panel=panel,
    )
