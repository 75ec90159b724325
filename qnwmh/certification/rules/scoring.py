"""Permissions over certification: scoring. Scope comes first (a reviewer reaches an
assignment only through ``open_assignments_of``); these decide what a visible object's
viewer may do."""

from __future__ import annotations

from typing import Any

from qnwmh.certification.models import (
    Assignment,
    DefenceSession,
    Panel,
    ScoreSheet,
)
from qnwmh.core.actor import Actor
from qnwmh.core.permissions import rule


def _user_id(actor: Actor) -> int | None:
    return actor.user.pk if actor.user is not None else None


def _panel_of(sheet_or_assignment: Any) -> Panel | None:
    app = sheet_or_assignment.application
    if app.area_id is None:
        return None
    return Panel.objects.filter(round_id=app.round_id, area_id=app.area_id).first()


def chairs(actor: Actor, panel: Panel | None) -> bool:
    chair = panel.chair if panel is not None else None
    return chair is not None and chair.user_id == _user_id(actor)


def is_secretary(actor: Actor, panel: Panel | None) -> bool:
    return (
        panel is not None
        and panel.secretary_id is not None
        and (panel.secretary_id == _user_id(actor))
    )


@rule("certification.score", target=Assignment)
def _score(actor: Actor, assignment: Any) -> bool:
    """Only the assigned reviewer fills their own sheet."""
    return actor.is_reviewer and assignment.reviewer.user_id == _user_id(actor)


@rule("certification.print_sheet", target=Assignment)
def _print_sheet(actor: Actor, assignment: Any) -> bool:
    """The printable sheet: its reviewer, the panel secretary, city staff."""
    return _score(actor, assignment) or _enter_paper(actor, assignment)


@rule("certification.reopen_sheet", target=ScoreSheet)
def _reopen(actor: Actor, sheet: Any) -> bool:
    """The chair of the application's panel, or city staff."""
    return actor.is_city_admin or chairs(actor, _panel_of(sheet))


@rule("certification.enter_paper", target=Assignment)
def _enter_paper(actor: Actor, assignment: Any) -> bool:
    """The panel secretary types in paper sheets, or city staff."""
    return actor.is_city_admin or is_secretary(actor, _panel_of(assignment))


@rule("certification.view_panel", target=Panel)
def _view_panel(actor: Actor, panel: Any) -> bool:
    return actor.is_city_admin or chairs(actor, panel) or is_secretary(actor, panel)


@rule("certification.view_scores", target=None)
def _view_scores(actor: Actor, obj: Any) -> bool:
    """Score lists: city staff, and body admins for their subtree."""
    return actor.is_city_admin or actor.is_body_admin


@rule("certification.aggregate", target=None)
def _aggregate(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("certification.manage_defence", target=None)
def _manage_defence(actor: Actor, obj: Any) -> bool:
    return actor.is_city_admin


@rule("certification.view_defence", target=DefenceSession)
def _view_defence(actor: Actor, session: Any) -> bool:
    """City staff, and the session panel's chair and secretary."""
    return actor.is_city_admin or chairs(actor, session.panel) or is_secretary(actor, session.panel)
